package io.labloop.orchestrator.store;

import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The durable record of campaigns. Every method is one transaction, committed when it returns; a
 * method that fails throws {@link StoreException} and has changed nothing. Thread-safe.
 */
public interface Store extends AutoCloseable {

  /** Opens (creating and migrating if needed) the store at {@code location}. */
  static Store open(StoreLocation location) {
    return JdbcStore.open(location);
  }

  // ---- campaigns and runs

  /** Keeps the exact campaign text under its hash (once per distinct text). */
  void saveCampaign(String name, Path file, String yaml, String sha256);

  /** The text stored under {@code sha256}. */
  Optional<String> campaignText(String sha256);

  /** Starts a new run of {@code campaign}, numbered after the ones before it. */
  RunRecord createRun(String campaign, String sha256, long seed);

  /** The run started last for {@code campaign}. */
  Optional<RunRecord> latestRun(String campaign);

  Optional<RunRecord> run(String runId);

  /** Every run of {@code campaign}, oldest first. */
  List<RunRecord> runs(String campaign);

  /**
   * Every run of every campaign in the store, newest first (also those started by another process).
   */
  List<RunRecord> allRuns();

  void endRun(String runId, RunStatus status, String reason);

  /** Marks a finished run RUNNING again (e.g. its budget was raised). */
  void reopenRun(String runId);

  /**
   * Records who drives a run now (a daemon's name, or {@code labloop run} and its PC), from now on;
   * the claim itself is {@link RunOwnership}'s.
   */
  void recordDriver(String runId, String driver);

  /**
   * Who drives (or, for an ended run, last drove) each run, by run id; runs never driven absent.
   */
  Map<String, String> drivers();

  // ---- experiments and the step journal

  /** Stores a new experiment with the decision that chose it. */
  void planExperiment(
      String runId,
      int seq,
      Point requested,
      Suggestion decision,
      ExperimentStatus status,
      OptionalInt retryOf);

  /**
   * A person's decision to try a HELD experiment's conditions again, in one transaction: the held
   * experiment becomes INTERRUPTED with {@code cause}, and experiment {@code retrySeq} is planned
   * with the same requested point, marked as its retry.
   *
   * @throws StoreException if {@code heldSeq} is not HELD (then nothing changed)
   */
  void retryHeld(String runId, int heldSeq, String cause, int retrySeq, Suggestion decision);

  void setExperimentStatus(String runId, int seq, ExperimentStatus status, Optional<String> cause);

  /**
   * Journals a step as STARTED (and the experiment as RUNNING and reached) before its command is
   * sent.
   */
  void stepStarted(StepRecord step);

  /** Journals a step as DONE with its outputs and raw data (written as files first). */
  List<AttachmentRecord> stepDone(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      Map<String, Object> outputs,
      List<NewAttachment> attachments);

  /** Journals a step as FAILED or INTERRUPTED with the kind and message of the error. */
  void stepEnded(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      StepStatus status,
      String errorKind,
      String error);

  /**
   * Journals a step that failed before anything was sent (a limit, an interlock): no STARTED row
   * precedes it.
   */
  void stepRefused(StepRecord step);

  /**
   * Ends an experiment: its status, achieved point, objective values and cause, and, when {@code
   * learned} is present, the observation the planner learns from, in one transaction.
   */
  void finishExperiment(
      String runId,
      int seq,
      ExperimentStatus status,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause,
      Optional<io.labloop.planners.Observation> learned);

  List<ExperimentRecord> experiments(String runId);

  List<StepRecord> steps(String runId);

  List<ObservationRecord> observations(String runId);

  Map<Integer, Suggestion> decisions(String runId);

  /** The decisions of only these experiments (one page of a table), by experiment number. */
  Map<Integer, Suggestion> decisions(String runId, java.util.Collection<Integer> seqs);

  List<AttachmentRecord> attachments(String runId);

  /** Where the attachment files are. */
  Path attachmentsDir();

  // ---- events

  /** Appends an event and returns it with its ordinal. */
  EventRecord addEvent(
      String runId,
      EventKind kind,
      Severity severity,
      Optional<String> actor,
      Optional<String> instrument,
      OptionalInt seq,
      String message);

  List<EventRecord> events(String runId);

  // ---- the lab's health checks (not part of any run)

  /** Keeps one health probe; probes of the instrument older than {@code keep} are dropped. */
  void recordProbe(HealthProbeRecord probe, java.time.Duration keep);

  /** The newest {@code limit} probes of {@code instrument}, newest first. */
  List<HealthProbeRecord> probes(String instrument, int limit);

  @Override
  void close();

  /** Raw data to keep with a step. */
  record NewAttachment(String name, String mediaType, byte[] data) {}
}
