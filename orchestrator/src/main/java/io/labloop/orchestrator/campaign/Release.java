package io.labloop.orchestrator.campaign;

import java.util.Map;
import java.util.Objects;

/**
 * What a person decided about an experiment HELD after an interruption ({@code on-interrupt:
 * hold}): a non-idempotent step was in flight when the process stopped, so nobody knows whether the
 * instrument did it. Someone looks at the instrument and the sample, then releases the experiment
 * one of three ways. {@link #note()} says who decided and why; it is kept in the experiment's
 * cause.
 */
public sealed interface Release {

  String note();

  /**
   * Nothing usable came of it: run the same requested conditions again as a new experiment, counted
   * against the budget.
   */
  record Retry(String note) implements Release {
    public Retry {
      Objects.requireNonNull(note, "note");
    }
  }

  /** The experiment failed: the planner learns its point as a failure, as after a refusal. */
  record Fail(String note) implements Release {
    public Fail {
      Objects.requireNonNull(note, "note");
    }
  }

  /**
   * The step did happen and the sample was measured by hand: these objective values (one per
   * objective of the campaign) become its observation, at the requested conditions.
   */
  record Measured(Map<String, Double> values, String note) implements Release {
    public Measured {
      values = Map.copyOf(values);
      Objects.requireNonNull(note, "note");
    }
  }
}
