package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.instant;
import static io.labloop.orchestrator.store.StoreConnection.query;

import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The read side of a run's history: experiments, the step journal, observations, planner decisions
 * and attachment rows, each in the order it happened. These are what resume, export, the report and
 * the API rebuild a run from, so the row mapping (JSON columns back into points and numbers) lives
 * here in one place.
 */
final class RunHistory {

  private final StoreConnection db;
  private final StoredJson json;

  RunHistory(StoreConnection db, StoredJson json) {
    this.db = db;
    this.json = json;
  }

  private ExperimentRecord experimentRow(ResultSet rs) throws SQLException {
    String achieved = rs.getString("achieved");
    int retry = rs.getInt("retry_of");
    OptionalInt retryOf = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(retry);
    return new ExperimentRecord(
        rs.getString("run_id"),
        rs.getInt("seq"),
        ExperimentStatus.valueOf(rs.getString("status")),
        json.point(rs.getString("requested")),
        achieved == null ? Optional.empty() : Optional.of(json.point(achieved)),
        json.doubles(rs.getString("objective_values")),
        Optional.ofNullable(rs.getString("cause")),
        rs.getInt("reached") != 0,
        retryOf,
        Instant.ofEpochMilli(rs.getLong("planned_at")),
        instant(rs, "started_at"),
        instant(rs, "ended_at"));
  }

  List<ExperimentRecord> experiments(String runId) {
    return db.tx(
        "reading experiments of " + runId,
        c ->
            query(
                c,
                this::experimentRow,
                "SELECT * FROM experiments WHERE run_id = ? ORDER BY seq",
                runId));
  }

  private StepRecord stepRow(ResultSet rs) throws SQLException {
    return new StepRecord(
        rs.getString("run_id"),
        rs.getInt("seq"),
        rs.getInt("step_index"),
        rs.getInt("attempt"),
        rs.getString("step_id"),
        rs.getString("instrument"),
        rs.getString("command"),
        json.map(rs.getString("arguments")),
        StepStatus.valueOf(rs.getString("status")),
        rs.getString("idempotency_key"),
        Instant.ofEpochMilli(rs.getLong("planned_at")),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        json.map(rs.getString("outputs")),
        Optional.ofNullable(rs.getString("error_kind")),
        Optional.ofNullable(rs.getString("error")));
  }

  List<StepRecord> steps(String runId) {
    return db.tx(
        "reading the journal of " + runId,
        c ->
            query(
                c,
                this::stepRow,
                "SELECT * FROM steps WHERE run_id = ? ORDER BY seq, step_index, attempt",
                runId));
  }

  List<ObservationRecord> observations(String runId) {
    return db.tx(
        "reading observations of " + runId,
        c ->
            query(
                c,
                rs -> {
                  Observation.Status status = Observation.Status.valueOf(rs.getString("status"));
                  Observation o =
                      new Observation(
                          json.point(rs.getString("achieved")),
                          json.doubles(rs.getString("objective_values")),
                          status);
                  return new ObservationRecord(
                      rs.getString("run_id"),
                      rs.getInt("seq"),
                      rs.getInt("ordinal"),
                      o,
                      json.point(rs.getString("requested")),
                      Instant.ofEpochMilli(rs.getLong("recorded_at")));
                },
                "SELECT * FROM observations WHERE run_id = ? ORDER BY ordinal",
                runId));
  }

  Map<Integer, Suggestion> decisions(String runId) {
    return db.tx(
        "reading decisions of " + runId,
        c -> {
          Map<Integer, Suggestion> out = new LinkedHashMap<>();
          for (Object[] row :
              query(
                  c,
                  rs ->
                      new Object[] {
                        rs.getInt("seq"),
                        rs.getString("planner"),
                        rs.getString("reason"),
                        rs.getObject("acquisition") == null
                            ? Double.NaN
                            : rs.getDouble("acquisition"),
                        rs.getString("predicted_mean"),
                        rs.getString("predicted_sd"),
                        rs.getString("details")
                      },
                  "SELECT * FROM decisions WHERE run_id = ? ORDER BY seq",
                  runId)) {
            int seq = (Integer) row[0];
            Point requested =
                query(
                        c,
                        rs -> json.point(rs.getString(1)),
                        "SELECT requested FROM experiments WHERE run_id = ? AND seq = ?",
                        runId,
                        seq)
                    .get(0);
            out.put(
                seq,
                new Suggestion(
                    requested,
                    (String) row[1],
                    (String) row[2],
                    (Double) row[3],
                    json.doubles((String) row[4]),
                    json.doubles((String) row[5]),
                    json.doubles((String) row[6])));
          }
          return out;
        });
  }

  List<AttachmentRecord> attachments(String runId) {
    return db.tx(
        "reading attachments of " + runId,
        c ->
            query(
                c,
                rs ->
                    new AttachmentRecord(
                        rs.getString("run_id"),
                        rs.getInt("seq"),
                        rs.getInt("step_index"),
                        rs.getInt("attempt"),
                        rs.getString("name"),
                        rs.getString("media_type"),
                        rs.getString("sha256"),
                        rs.getLong("size_bytes")),
                "SELECT * FROM attachments WHERE run_id = ? ORDER BY seq, step_index, attempt, name",
                runId));
  }
}
