package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.threads.Timers;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The engine as its parts see it ({@link Coordinator}): the run's state in {@link RunState}, the
 * ends of experiments (journaled, learned by the planner where the point is to blame, counted by
 * the stop rules) and the way back to the engine thread. Package-private, so none of it becomes the
 * engine's public API; like the state, it is used on the engine thread only, except {@link #later}
 * and {@link #after}.
 */
final class EngineCoordinator implements Coordinator {
  private final CampaignEngine engine;
  private final RunState state;
  private final Store store;
  private final StopRules stopRules;

  EngineCoordinator(CampaignEngine engine, RunState state, Store store, StopRules stopRules) {
    this.engine = engine;
    this.state = state;
    this.store = store;
    this.stopRules = stopRules;
  }

  @Override
  public String runId() {
    return state.run.id();
  }

  @Override
  public boolean mayStartSteps() {
    return !state.paused && !state.aborted && !state.finished;
  }

  @Override
  public boolean ending() {
    return state.aborted || state.finished;
  }

  @Override
  public boolean ended() {
    return state.finished;
  }

  @Override
  public boolean stopping() {
    return state.stopping;
  }

  /** Starts nothing new from now on; the run ends when its experiments in flight have ended. */
  @Override
  public void stop(String reason) {
    state.stopping = true;
    state.stopReason = reason;
    engine.event(EventKind.STOPPING, Severity.INFO, null, null, "stopping: " + state.stopReason);
  }

  @Override
  public void fail(Throwable t) {
    engine.fail(t);
  }

  @Override
  public int activeCount() {
    return state.active().size();
  }

  @Override
  public void event(
      EventKind kind, Severity severity, String instrument, Integer seq, String message) {
    engine.event(kind, severity, instrument, seq, message);
  }

  @Override
  public void finish(LiveExperiment e, ExperimentStatus status, String cause, boolean learned) {
    e.status = status;
    e.busy = false;
    e.cause = cause;
    Optional<Observation> failed =
        learned ? Optional.of(Observation.failed(e.requested)) : Optional.empty();
    store.finishExperiment(
        state.run.id(), e.seq, status, Optional.empty(), Map.of(), Optional.of(cause), failed);
    failed.ifPresent(state.observations::add);
    state.endedThisSession++;
    notifyExperiment(e);
  }

  @Override
  public void done(LiveExperiment e, Point point, Map<String, Double> values) {
    Observation observation = Observation.ok(point, values);
    e.status = ExperimentStatus.DONE;
    e.busy = false;
    store.finishExperiment(
        state.run.id(),
        e.seq,
        ExperimentStatus.DONE,
        Optional.of(point),
        values,
        Optional.ofNullable(e.cause),
        Optional.of(observation));
    state.observations.add(observation);
    state.endedThisSession++;
    stopRules.observed(e.seq, point, values);
    engine.notifyExperiment(e, Optional.of(point), values);
  }

  @Override
  public void notifyExperiment(LiveExperiment e) {
    engine.notifyExperiment(e, Optional.empty(), Map.of());
  }

  @Override
  public boolean later(Runnable action) {
    return engine.later(action);
  }

  @Override
  public Timers.Timer after(Duration delay, Runnable action) {
    return engine.after(delay, action);
  }

  @Override
  public LiveExperiment plan(Suggestion s, ExperimentStatus status, OptionalInt retryOf) {
    return engine.planExperiment(s, status, retryOf);
  }

  @Override
  public int reachedOrPlanned() {
    return state.counted() + state.unreachedInFlight();
  }

  @Override
  public void tick() {
    engine.tick();
  }

  @Override
  public LiveExperiment experiment(int seq) {
    return state.experiments.get(seq);
  }

  @Override
  public String stopReason() {
    return state.stopReason;
  }

  @Override
  public int nextSeq() {
    return state.nextSeq++;
  }

  @Override
  public void add(LiveExperiment e) {
    state.experiments.put(e.seq, e);
  }

  @Override
  public void endedEarlier() {
    state.endedThisSession--;
  }
}
