package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of a {@link Release}, shared by a running {@link CampaignEngine} (which also tells its
 * planner) and a run that has ended (where only the record changes): what the experiment's cause
 * says afterwards, and which hand-measured values are accepted.
 */
public final class HeldExperiments {
  private HeldExperiments() {}

  /**
   * The values of a {@link Release.Measured} release checked against the campaign's objectives and
   * put in their order.
   *
   * @throws IllegalArgumentException naming what is missing, unknown or not a finite number
   */
  public static Map<String, Double> checkedValues(
      Map<String, Double> given, List<String> objectives) {
    List<String> problems = new ArrayList<>();
    for (String name : given.keySet()) {
      if (!objectives.contains(name))
        problems.add(
            "'"
                + name
                + "' is not an objective of the campaign (its objectives: "
                + String.join(", ", objectives)
                + ")");
      else if (!Double.isFinite(given.get(name)))
        problems.add(name + " must be a finite number, not " + given.get(name));
    }
    List<String> missing = objectives.stream().filter(o -> !given.containsKey(o)).toList();
    if (!missing.isEmpty())
      problems.add("a value is needed for every objective; missing: " + String.join(", ", missing));
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    Map<String, Double> ordered = new LinkedHashMap<>();
    objectives.forEach(o -> ordered.put(o, given.get(o)));
    return ordered;
  }

  /**
   * Releases a held experiment of a run that no engine runs any more (it ended: budget, stop rule
   * or abort). Only the record changes: it is failed or gets the values measured by hand (the
   * export then shows them); a retry is refused, since an ended run starts no experiment.
   *
   * @param objectives the campaign's objective names, in order
   * @throws IllegalStateException if the run is still RUNNING (only its engine may change it), the
   *     experiment is not held, or a retry is asked for
   */
  public static ExperimentRecord releaseEnded(
      Store store, RunRecord run, List<String> objectives, int seq, Release decision) {
    if (run.status() == RunStatus.RUNNING) {
      throw new IllegalStateException(
          "run " + run.id() + " is unfinished; release its experiment where the run runs");
    }
    ExperimentRecord e =
        store.experiments(run.id()).stream()
            .filter(x -> x.seq() == seq)
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("run " + run.id() + " has no experiment #" + seq));
    if (e.status() != ExperimentStatus.HELD) throw notHeld(seq, e.status());
    String held = e.cause().orElse("held");
    if (decision instanceof Release.Retry) {
      throw new IllegalStateException(
          "run "
              + run.id()
              + " has ended ("
              + run.stopReason().orElse(run.status().name().toLowerCase())
              + "), so no retry can start; mark #"
              + seq
              + " failed or enter the values measured by hand");
    }
    if (decision instanceof Release.Measured m) {
      Map<String, Double> values = checkedValues(m.values(), objectives);
      store.finishExperiment(
          run.id(),
          seq,
          ExperimentStatus.DONE,
          Optional.of(e.requested()),
          values,
          Optional.of(measuredCause(held, decision.note())),
          Optional.of(Observation.ok(e.requested(), values)));
    } else {
      store.finishExperiment(
          run.id(),
          seq,
          ExperimentStatus.FAILED,
          Optional.empty(),
          Map.of(),
          Optional.of(failedCause(held, decision.note())),
          Optional.of(Observation.failed(e.requested())));
    }
    return store.experiments(run.id()).stream()
        .filter(x -> x.seq() == seq)
        .findFirst()
        .orElseThrow();
  }

  static IllegalStateException notHeld(int seq, ExperimentStatus status) {
    return new IllegalStateException(
        "experiment #"
            + seq
            + " is "
            + status
            + ", not HELD; only a held experiment can be released");
  }

  static String failedCause(String held, String note) {
    return "failed after a hold: " + note + " (" + held + ")";
  }

  static String measuredCause(String held, String note) {
    return "measured by hand after a hold: " + note + " (" + held + ")";
  }

  static String retryCause(String held, String note, int retrySeq) {
    return "retried as #" + retrySeq + " after a hold: " + note + " (" + held + ")";
  }
}
