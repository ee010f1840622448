package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.threads.GuardedBy;
import io.labloop.planners.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one run as its {@link CampaignEngine} holds it between events: the run record, the
 * experiments in memory by number, the observations the planner learns from, the next experiment
 * number, and where the run is in its life (paused, stopping, aborted, finished, and why it stops).
 * Everything here is confined to the engine thread ({@link EngineThreads}), so nothing is locked;
 * the engine changes it, and its parts reach it only through {@link Coordinator}.
 */
final class RunState {

  @GuardedBy("engine thread")
  RunRecord run;

  @GuardedBy("engine thread")
  final Map<Integer, LiveExperiment> experiments = new LinkedHashMap<>();

  @GuardedBy("engine thread")
  final List<Observation> observations = new ArrayList<>();

  @GuardedBy("engine thread")
  int nextSeq = 1;

  @GuardedBy("engine thread")
  boolean paused;

  @GuardedBy("engine thread")
  boolean stopping;

  @GuardedBy("engine thread")
  boolean aborted;

  @GuardedBy("engine thread")
  boolean finished;

  @GuardedBy("engine thread")
  String stopReason = "";

  @GuardedBy("engine thread")
  Instant sessionStart;

  @GuardedBy("engine thread")
  int endedThisSession;

  /** The experiments not yet finished (planned, waiting, running or held). */
  List<LiveExperiment> active() {
    return experiments.values().stream().filter(e -> !e.status.finished()).toList();
  }

  /** Experiments that reached an instrument: what the budget counts. */
  int counted() {
    return (int) experiments.values().stream().filter(e -> e.reached).count();
  }

  /** Experiments in flight that have not reached an instrument yet. */
  int unreachedInFlight() {
    return (int)
        experiments.values().stream().filter(e -> !e.reached && !e.status.finished()).count();
  }

  /** Where the run is, as {@link Progress} shows it. */
  Progress.State phase() {
    return finished
        ? Progress.State.FINISHED
        : stopping
            ? Progress.State.STOPPING
            : paused ? Progress.State.PAUSED : Progress.State.RUNNING;
  }
}
