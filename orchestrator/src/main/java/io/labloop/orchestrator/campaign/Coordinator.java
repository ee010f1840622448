package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.threads.Timers;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the parts of a {@link CampaignEngine} ask of the engine that coordinates them: the run's
 * identity and state, its journal of events, the ends of experiments, and the engine thread.
 * Implemented for the engine alone by {@link EngineCoordinator} (package-private, so none of it is
 * public API); every method is called on the engine thread, except {@link #later} and {@link
 * #after}, which bring work back to it.
 */
interface Coordinator {

  /** The run's id. */
  String runId();

  /** Steps may start: the run is not paused, aborting or ended. */
  boolean mayStartSteps();

  /** The run aborts or has ended: a step under way stops at its next turn. */
  boolean ending();

  /** The run has ended (or its session stopped): nothing more is written. */
  boolean ended();

  /** The run starts no new experiment (a stop rule, an abort, the planner ran dry). */
  boolean stopping();

  /**
   * Starts no new experiment from now on, for {@code reason}; the run ends when those in flight
   * have ended.
   */
  void stop(String reason);

  /**
   * Ends the session without ending the run (the planner or the store failed); the next start
   * resumes it.
   */
  void fail(Throwable t);

  /** Experiments planned or running, not yet ended. */
  int activeCount();

  /** Stores an event and tells the listeners; {@code instrument} and {@code seq} may be null. */
  void event(EventKind kind, Severity severity, String instrument, Integer seq, String message);

  /**
   * Ends an experiment that produced no observation (failed, interrupted, held, rejected).
   *
   * @param learned the planner learns its point as a failure
   */
  void finish(LiveExperiment e, ExperimentStatus status, String cause, boolean learned);

  /**
   * Ends an experiment DONE with its objective values at the conditions achieved: stored, learned,
   * scored.
   */
  void done(LiveExperiment e, Point achieved, Map<String, Double> values);

  /**
   * Stores a new experiment for the suggestion under the next free number and adds it to the run.
   */
  LiveExperiment plan(Suggestion suggestion, ExperimentStatus status, OptionalInt retryOf);

  /**
   * Experiments that reached an instrument plus those planned that may still reach one: what the
   * budget is held against.
   */
  int reachedOrPlanned();

  /** Tells the listeners an experiment changed. */
  void notifyExperiment(LiveExperiment e);

  /**
   * Runs {@code action} on the engine thread; false if the engine has stopped and will not run it.
   */
  boolean later(Runnable action);

  /**
   * Runs {@code action} on the engine thread after {@code delay}; {@link Timers.Timer#NONE} if the
   * engine has stopped.
   */
  Timers.Timer after(Duration delay, Runnable action);

  /**
   * Decides what happens next across all experiments (see the {@link CampaignEngine} class
   * comment).
   */
  void tick();

  /** The experiment numbered {@code seq}, or null. */
  LiveExperiment experiment(int seq);

  /** Why the run stops ({@link #stopping()}), or empty. */
  String stopReason();

  /** Takes the next free experiment number. */
  int nextSeq();

  /** Adds an experiment (stored already) to the run. */
  void add(LiveExperiment e);

  /**
   * The experiment that just ended had ended in an earlier session (it was held), so it does not
   * count toward this session's pace (the ETA).
   */
  void endedEarlier();
}
