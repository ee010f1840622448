package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.now;
import static io.labloop.orchestrator.store.StoreConnection.query;
import static io.labloop.orchestrator.store.StoreConnection.update;

import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The write side of the step journal: experiments planned, retried and finished, each step's
 * PLANNED/STARTED/DONE/FAILED rows, and the observation a finished experiment teaches the planner.
 * Every method is one transaction on the {@link StoreConnection}, called by the engine before it
 * acts ("write before act"). A step's attachment files are written by {@link AttachmentFiles}
 * before the transaction that names them, so a committed row always has its file.
 */
final class ExperimentJournal {

  private final StoreConnection db;
  private final StoredJson json;
  private final AttachmentFiles attachmentFiles;

  ExperimentJournal(StoreConnection db, StoredJson json, AttachmentFiles files) {
    this.db = db;
    this.json = json;
    this.attachmentFiles = files;
  }

  void planExperiment(
      String runId,
      int seq,
      Point requested,
      Suggestion d,
      ExperimentStatus status,
      OptionalInt retryOf) {
    db.tx(
        "planning experiment " + runId + "#" + seq,
        c -> {
          insertExperiment(c, runId, seq, requested, d, status, retryOf);
          return null;
        });
  }

  private void insertExperiment(
      Connection c,
      String runId,
      int seq,
      Point requested,
      Suggestion d,
      ExperimentStatus status,
      OptionalInt retryOf)
      throws SQLException {
    long t = now();
    update(
        c,
        "INSERT INTO experiments (run_id, seq, status, requested, reached, retry_of, planned_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        runId,
        seq,
        status.name(),
        json.toJson(requested.values()),
        retryOf.isPresent() ? (Object) retryOf.getAsInt() : null,
        t);
    update(
        c,
        "INSERT INTO decisions (run_id, seq, planner, reason, acquisition, predicted_mean, predicted_sd, details, decided_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        runId,
        seq,
        d.planner(),
        d.reason(),
        d.acquisition(),
        json.toJson(d.predictedMean()),
        json.toJson(d.predictedSd()),
        json.toJson(d.details()),
        t);
  }

  void retryHeld(String runId, int heldSeq, String cause, int retrySeq, Suggestion decision) {
    db.tx(
        "retrying held experiment " + runId + "#" + heldSeq,
        c -> {
          List<String> requested =
              query(
                  c,
                  rs -> rs.getString(1),
                  "SELECT requested FROM experiments WHERE run_id = ? AND seq = ? AND status = ?",
                  runId,
                  heldSeq,
                  ExperimentStatus.HELD.name());
          if (requested.isEmpty())
            throw new IllegalStateException("experiment " + runId + "#" + heldSeq + " is not held");
          update(
              c,
              "UPDATE experiments SET status = ?, cause = ? WHERE run_id = ? AND seq = ?",
              ExperimentStatus.INTERRUPTED.name(),
              cause,
              runId,
              heldSeq);
          insertExperiment(
              c,
              runId,
              retrySeq,
              json.point(requested.get(0)),
              decision,
              ExperimentStatus.PLANNED,
              OptionalInt.of(heldSeq));
          return null;
        });
  }

  void setExperimentStatus(String runId, int seq, ExperimentStatus status, Optional<String> cause) {
    db.tx(
        "updating experiment " + runId + "#" + seq,
        c ->
            update(
                c,
                "UPDATE experiments SET status = ?, cause = COALESCE(?, cause), ended_at = ? WHERE run_id = ? AND seq = ?",
                status.name(),
                cause.orElse(null),
                status.finished() ? (Object) now() : null,
                runId,
                seq));
  }

  void stepStarted(StepRecord s) {
    db.tx(
        "journaling " + s.idempotencyKey() + " as started",
        c -> {
          long t = now();
          insertStep(c, s, StepStatus.STARTED, t, t);
          update(
              c,
              "UPDATE experiments SET status = ?, reached = 1, started_at = COALESCE(started_at, ?) WHERE run_id = ? AND seq = ?",
              ExperimentStatus.RUNNING.name(),
              t,
              s.runId(),
              s.seq());
          return null;
        });
  }

  void stepRefused(StepRecord s) {
    db.tx(
        "journaling " + s.idempotencyKey() + " as refused",
        c -> {
          long t = now();
          insertStep(c, s, StepStatus.FAILED, t, null);
          update(
              c,
              "UPDATE steps SET ended_at = ?, error_kind = ?, error = ? WHERE run_id = ? AND seq = ? AND step_index = ? AND attempt = ?",
              t,
              s.errorKind().orElse("refused"),
              s.error().orElse(""),
              s.runId(),
              s.seq(),
              s.stepIndex(),
              s.attempt());
          return null;
        });
  }

  private void insertStep(
      Connection c, StepRecord s, StepStatus status, long plannedAt, Long startedAt)
      throws SQLException {
    update(
        c,
        "INSERT INTO steps (run_id, seq, step_index, attempt, step_id, instrument, command, arguments, status, idempotency_key,"
            + " planned_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.runId(),
        s.seq(),
        s.stepIndex(),
        s.attempt(),
        s.stepId(),
        s.instrument(),
        s.command(),
        json.toJson(s.arguments()),
        status.name(),
        s.idempotencyKey(),
        plannedAt,
        startedAt);
  }

  List<AttachmentRecord> stepDone(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      Map<String, Object> outputs,
      List<Store.NewAttachment> files) {
    List<AttachmentRecord> written = new ArrayList<>();
    for (Store.NewAttachment a : files) {
      String sha = attachmentFiles.write(a.data());
      written.add(
          new AttachmentRecord(
              runId, seq, stepIndex, attempt, a.name(), a.mediaType(), sha, a.data().length));
    }
    db.tx(
        "journaling " + runId + "#" + seq + " step " + stepIndex + " as done",
        c -> {
          update(
              c,
              "UPDATE steps SET status = ?, ended_at = ?, outputs = ? WHERE run_id = ? AND seq = ? AND step_index = ? AND attempt = ?",
              StepStatus.DONE.name(),
              now(),
              json.toJson(outputs),
              runId,
              seq,
              stepIndex,
              attempt);
          for (AttachmentRecord a : written) {
            update(
                c,
                "INSERT INTO attachments (run_id, seq, step_index, attempt, name, media_type, sha256, size_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                runId,
                seq,
                stepIndex,
                attempt,
                a.name(),
                a.mediaType(),
                a.sha256(),
                a.sizeBytes());
          }
          return null;
        });
    return written;
  }

  void stepEnded(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      StepStatus status,
      String errorKind,
      String error) {
    db.tx(
        "journaling " + runId + "#" + seq + " step " + stepIndex + " as " + status,
        c ->
            update(
                c,
                "UPDATE steps SET status = ?, ended_at = ?, error_kind = ?, error = ? WHERE run_id = ? AND seq = ? AND step_index = ? AND attempt = ?",
                status.name(),
                now(),
                errorKind,
                error,
                runId,
                seq,
                stepIndex,
                attempt));
  }

  void finishExperiment(
      String runId,
      int seq,
      ExperimentStatus status,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause,
      Optional<Observation> learned) {
    db.tx(
        "finishing experiment " + runId + "#" + seq,
        c -> {
          long t = now();
          update(
              c,
              "UPDATE experiments SET status = ?, achieved = ?, objective_values = ?, cause = ?, ended_at = ? WHERE run_id = ? AND seq = ?",
              status.name(),
              achieved.map(p -> json.toJson(p.values())).orElse(null),
              values.isEmpty() ? null : json.toJson(values),
              cause.orElse(null),
              t,
              runId,
              seq);
          if (learned.isPresent()) {
            Observation o = learned.get();
            int ordinal =
                query(
                            c,
                            rs -> rs.getInt(1),
                            "SELECT COALESCE(MAX(ordinal), 0) FROM observations WHERE run_id = ?",
                            runId)
                        .get(0)
                    + 1;
            String requested =
                query(
                        c,
                        rs -> rs.getString(1),
                        "SELECT requested FROM experiments WHERE run_id = ? AND seq = ?",
                        runId,
                        seq)
                    .get(0);
            update(
                c,
                "INSERT INTO observations (run_id, seq, ordinal, status, requested, achieved, objective_values, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                runId,
                seq,
                ordinal,
                o.status().name(),
                requested,
                json.toJson(o.point().values()),
                json.toJson(o.values()),
                t);
          }
          return null;
        });
  }
}
