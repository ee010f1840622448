package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Point;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the outside sees of a run while it goes: events (stored in the run's journal, logged, and
 * given to the listeners), each change of an experiment, and the progress counts with an ETA. The
 * ETA is the time this session has taken per ended experiment times the experiments the budget
 * still allows, so a resumed run does not count the hours it was stopped.
 *
 * <p>Separate from {@link CampaignEngine} because listeners (the CLI's progress line, the daemon's
 * API and metrics) come and go from any thread and one that fails must not stop the loop; the
 * engine calls in here on its own thread after each transition.
 */
final class Reporting {

  private static final Logger log = LoggerFactory.getLogger(Reporting.class);

  private final Store store;
  private final Clock clock;
  private final OptionalInt budget;
  private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Progress latest;

  Reporting(Store store, Clock clock, OptionalInt budget) {
    this.store = store;
    this.clock = clock;
    this.budget = budget;
  }

  void add(EngineListener listener) {
    listeners.add(listener);
  }

  void remove(EngineListener listener) {
    listeners.remove(listener);
  }

  /** The progress last published, null before the run is ready (safe from any thread). */
  Progress latest() {
    return latest;
  }

  /** Stores an event of the run, logs it (alerts as warnings) and gives it to the listeners. */
  void event(
      String runId,
      EventKind kind,
      Severity severity,
      String instrument,
      Integer seq,
      String message) {
    EventRecord record =
        store.addEvent(
            runId,
            kind,
            severity,
            Optional.empty(),
            Optional.ofNullable(instrument),
            seq == null ? OptionalInt.empty() : OptionalInt.of(seq),
            message);
    if (severity == Severity.ALERT) log.warn("{}: {}", runId, message);
    else log.info("{}: {}", runId, message);
    tell("event", l -> l.onEvent(record));
  }

  /** The experiment as a record, as of now. */
  ExperimentRecord record(
      String runId,
      LiveExperiment e,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause) {
    return new ExperimentRecord(
        runId,
        e.seq,
        e.status,
        e.requested,
        achieved,
        values,
        cause,
        e.reached,
        e.retryOf,
        clock.instant(),
        Optional.empty(),
        Optional.empty());
  }

  /** Tells the listeners an experiment changed. */
  void experiment(
      String runId,
      LiveExperiment e,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause) {
    if (listeners.isEmpty()) return;
    ExperimentRecord r = record(runId, e, achieved, values, cause);
    tell("experiment", l -> l.onExperiment(r));
  }

  /**
   * Counts the experiments, publishes the progress and gives it to the listeners.
   *
   * @param counted experiments that reached an instrument (what the budget counts)
   * @param endedThisSession experiments that ended since {@code sessionStart}, for the ETA
   */
  void progress(
      String runId,
      Progress.State state,
      Collection<LiveExperiment> experiments,
      int counted,
      Optional<Best> best,
      Instant sessionStart,
      int endedThisSession) {
    int done = 0;
    int failed = 0;
    int inFlight = 0;
    int awaiting = 0;
    int held = 0;
    for (LiveExperiment e : experiments) {
      if (e.status == ExperimentStatus.HELD) held++;
      if (e.status == ExperimentStatus.DONE) done++;
      else if (e.status.finished()) failed++;
      else if (e.status == ExperimentStatus.AWAITING_APPROVAL) awaiting++;
      else inFlight++;
    }
    Optional<Duration> eta = Optional.empty();
    if (budget.isPresent() && endedThisSession > 0 && state != Progress.State.FINISHED) {
      Duration elapsed = Duration.between(sessionStart, clock.instant());
      int left = Math.max(0, budget.getAsInt() - done - failed);
      eta = Optional.of(elapsed.multipliedBy(left).dividedBy(endedThisSession));
    }
    Progress p =
        new Progress(
            runId, state, counted, budget, done, failed, inFlight, awaiting, held, best, eta);
    latest = p;
    tell("progress", l -> l.onProgress(p));
  }

  /**
   * A listener that throws is logged and skipped: it must not stop the loop or the other listeners.
   */
  private void tell(String what, Consumer<EngineListener> call) {
    for (EngineListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException ex) {
        log.warn("listener failed on {}: {}", what, ex.toString());
      }
    }
  }
}
