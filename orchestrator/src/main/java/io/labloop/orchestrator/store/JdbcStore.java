package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.instant;
import static io.labloop.orchestrator.store.StoreConnection.now;
import static io.labloop.orchestrator.store.StoreConnection.query;
import static io.labloop.orchestrator.store.StoreConnection.update;

import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The store over one JDBC connection, for SQLite and PostgreSQL alike (the schema uses only
 * portable types). Calls are serialised on the connection; each is one transaction. Attachments are
 * written (to a temporary name, fsynced, then renamed) before the row that names them is committed,
 * so a committed row always has its file.
 *
 * <p>This class keeps campaigns and runs itself and hands the rest to one class per concern: {@link
 * StoreConnection} (schema migration, the connection, transactions), {@link ExperimentJournal} (the
 * write side of experiments and steps), {@link RunHistory} (reading a run's history back), {@link
 * EventLog} (events and the audit trail), {@link AttachmentFiles} (content-addressed files) and
 * {@link StoredJson} (the JSON columns).
 */
final class JdbcStore implements Store {

  private final StoreConnection db;
  private final AttachmentFiles files;
  private final ExperimentJournal journal;
  private final RunHistory history;
  private final EventLog events;

  private JdbcStore(StoreConnection db) {
    StoredJson json = new StoredJson();
    this.db = db;
    this.files = new AttachmentFiles(db.attachments());
    this.journal = new ExperimentJournal(db, json, files);
    this.history = new RunHistory(db, json);
    this.events = new EventLog(db);
  }

  static JdbcStore open(StoreLocation location) {
    return new JdbcStore(StoreConnection.open(location));
  }

  // ---------------------------------------------------------------- campaigns and runs

  @Override
  public void saveCampaign(String name, Path file, String yaml, String sha256) {
    db.tx(
        "saving campaign " + name,
        c -> {
          if (query(c, rs -> 1, "SELECT 1 FROM campaigns WHERE sha256 = ?", sha256).isEmpty()) {
            update(
                c,
                "INSERT INTO campaigns (sha256, name, file, yaml, stored_at) VALUES (?, ?, ?, ?, ?)",
                sha256,
                name,
                file.toString(),
                yaml,
                now());
          }
          return null;
        });
  }

  @Override
  public Optional<String> campaignText(String sha256) {
    return db.tx(
        "reading campaign " + sha256,
        c ->
            query(c, rs -> rs.getString(1), "SELECT yaml FROM campaigns WHERE sha256 = ?", sha256)
                .stream()
                .findFirst());
  }

  private static RunRecord runRow(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString("id"),
        rs.getString("campaign"),
        rs.getString("campaign_sha256"),
        rs.getLong("seed"),
        RunStatus.valueOf(rs.getString("status")),
        Instant.ofEpochMilli(rs.getLong("started_at")),
        instant(rs, "ended_at"),
        Optional.ofNullable(rs.getString("stop_reason")));
  }

  @Override
  public RunRecord createRun(String campaign, String sha256, long seed) {
    return db.tx(
        "creating a run of " + campaign,
        c -> {
          int n =
              query(c, rs -> rs.getInt(1), "SELECT COUNT(*) FROM runs WHERE campaign = ?", campaign)
                      .get(0)
                  + 1;
          String id = new RunId(campaign, n).toString();
          update(
              c,
              "INSERT INTO runs (id, campaign, campaign_sha256, seed, status, started_at) VALUES (?, ?, ?, ?, ?, ?)",
              id,
              campaign,
              sha256,
              seed,
              RunStatus.RUNNING.name(),
              now());
          return query(c, JdbcStore::runRow, "SELECT * FROM runs WHERE id = ?", id).get(0);
        });
  }

  @Override
  public Optional<RunRecord> latestRun(String campaign) {
    return db.tx(
        "reading runs of " + campaign,
        c -> {
          List<RunRecord> all =
              query(
                  c,
                  JdbcStore::runRow,
                  "SELECT * FROM runs WHERE campaign = ? ORDER BY started_at, id",
                  campaign);
          // run numbers grow with time; two runs can share a millisecond, so compare numbers too
          return all.stream()
              .max((a, b) -> Integer.compare(RunId.of(a.id()).number(), RunId.of(b.id()).number()));
        });
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    return db.tx(
        "reading run " + runId,
        c ->
            query(c, JdbcStore::runRow, "SELECT * FROM runs WHERE id = ?", runId).stream()
                .findFirst());
  }

  @Override
  public List<RunRecord> runs(String campaign) {
    return db.tx(
        "reading runs of " + campaign,
        c -> {
          List<RunRecord> all =
              new ArrayList<>(
                  query(c, JdbcStore::runRow, "SELECT * FROM runs WHERE campaign = ?", campaign));
          all.sort((a, b) -> Integer.compare(RunId.of(a.id()).number(), RunId.of(b.id()).number()));
          return all;
        });
  }

  @Override
  public List<RunRecord> allRuns() {
    return db.tx(
        "reading every run",
        c -> {
          List<RunRecord> all = new ArrayList<>(query(c, JdbcStore::runRow, "SELECT * FROM runs"));
          all.sort(
              java.util.Comparator.comparing(RunRecord::startedAt)
                  .thenComparing(r -> RunId.of(r.id()).number())
                  .reversed());
          return all;
        });
  }

  @Override
  public void endRun(String runId, RunStatus status, String reason) {
    db.tx(
        "ending run " + runId,
        c ->
            update(
                c,
                "UPDATE runs SET status = ?, ended_at = ?, stop_reason = ? WHERE id = ?",
                status.name(),
                now(),
                reason,
                runId));
  }

  @Override
  public void reopenRun(String runId) {
    db.tx(
        "reopening run " + runId,
        c ->
            update(
                c,
                "UPDATE runs SET status = ?, ended_at = NULL, stop_reason = NULL WHERE id = ?",
                RunStatus.RUNNING.name(),
                runId));
  }

  // ---------------------------------------------------------------- experiments and steps

  @Override
  public void planExperiment(
      String runId,
      int seq,
      Point requested,
      Suggestion d,
      ExperimentStatus status,
      OptionalInt retryOf) {
    journal.planExperiment(runId, seq, requested, d, status, retryOf);
  }

  @Override
  public void retryHeld(
      String runId, int heldSeq, String cause, int retrySeq, Suggestion decision) {
    journal.retryHeld(runId, heldSeq, cause, retrySeq, decision);
  }

  @Override
  public void setExperimentStatus(
      String runId, int seq, ExperimentStatus status, Optional<String> cause) {
    journal.setExperimentStatus(runId, seq, status, cause);
  }

  @Override
  public void stepStarted(StepRecord s) {
    journal.stepStarted(s);
  }

  @Override
  public void stepRefused(StepRecord s) {
    journal.stepRefused(s);
  }

  @Override
  public List<AttachmentRecord> stepDone(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      Map<String, Object> outputs,
      List<NewAttachment> files) {
    return journal.stepDone(runId, seq, stepIndex, attempt, outputs, files);
  }

  @Override
  public void stepEnded(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      StepStatus status,
      String errorKind,
      String error) {
    journal.stepEnded(runId, seq, stepIndex, attempt, status, errorKind, error);
  }

  @Override
  public void finishExperiment(
      String runId,
      int seq,
      ExperimentStatus status,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause,
      Optional<Observation> learned) {
    journal.finishExperiment(runId, seq, status, achieved, values, cause, learned);
  }

  // ---------------------------------------------------------------- reading a run back

  @Override
  public List<ExperimentRecord> experiments(String runId) {
    return history.experiments(runId);
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return history.steps(runId);
  }

  @Override
  public List<ObservationRecord> observations(String runId) {
    return history.observations(runId);
  }

  @Override
  public Map<Integer, Suggestion> decisions(String runId) {
    return history.decisions(runId);
  }

  @Override
  public List<AttachmentRecord> attachments(String runId) {
    return history.attachments(runId);
  }

  @Override
  public Path attachmentsDir() {
    return files.dir();
  }

  // ---------------------------------------------------------------- events

  @Override
  public EventRecord addEvent(
      String runId,
      EventKind kind,
      Severity severity,
      Optional<String> actor,
      Optional<String> instrument,
      OptionalInt seq,
      String message) {
    return events.addEvent(runId, kind, severity, actor, instrument, seq, message);
  }

  @Override
  public List<EventRecord> events(String runId) {
    return events.events(runId);
  }

  @Override
  public void close() {
    db.close();
  }
}
