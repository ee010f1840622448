package io.labloop.orchestrator.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A person's decision on an experiment HELD after an interruption ({@code on-interrupt: hold}), as
 * the API receives it: {@code {"action": "retry" | "fail" | "measured", "reason": "...", "values":
 * {"peak": 518.2}}}.
 *
 * @param action what to do with it
 * @param reason why (kept with the experiment and in the audit trail); may be empty
 * @param values for {@code measured}: one value per objective of the campaign, measured by hand
 */
public record ReleaseRequest(Action action, String reason, Map<String, Double> values) {

  /** The three ways out of a hold. */
  public enum Action {
    /** Run the same requested conditions again as a new experiment (counted against the budget). */
    RETRY,
    /** Mark it failed; the planner learns its point as a failure. */
    FAIL,
    /** Record values measured by hand as its observation. */
    MEASURED;

    /** The action named in a request ({@code retry}, {@code fail}, {@code measured}, any case). */
    public static Action parse(String text) {
      if (text != null) {
        for (Action a : values()) {
          if (a.name().equalsIgnoreCase(text.strip())) return a;
        }
      }
      throw ApiProblem.invalid(
          "action must be retry, fail or measured, not "
              + (text == null ? "missing" : "'" + text + "'"),
          List.of());
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ReleaseRequest {
    if (action == null)
      throw ApiProblem.invalid("action is missing (expected retry, fail or measured)", List.of());
    reason = reason == null ? "" : reason.strip();
    values = values == null ? Map.of() : Map.copyOf(values);
    if (action == Action.MEASURED && values.isEmpty()) {
      throw ApiProblem.invalid(
          "action measured needs values: one number per objective, e.g. {\"peak\": 518.2}",
          List.of());
    }
    if (action != Action.MEASURED && !values.isEmpty()) {
      throw ApiProblem.invalid("values go with action measured only", List.of());
    }
  }
}
