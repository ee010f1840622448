package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.instant;
import static io.labloop.orchestrator.store.StoreConnection.query;

import io.labloop.common.Errors;
import io.labloop.planners.Observation;
import io.labloop.planners.Suggestion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

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

  /** An experiment's row as stored, its JSON columns not parsed yet. */
  private record StoredExperiment(
      String runId,
      int seq,
      String status,
      String requested,
      String achieved,
      String values,
      String cause,
      boolean reached,
      OptionalInt retryOf,
      Instant plannedAt,
      Optional<Instant> startedAt,
      Optional<Instant> endedAt) {}

  private static StoredExperiment storedExperiment(ResultSet rs) throws SQLException {
    int retry = rs.getInt("retry_of");
    OptionalInt retryOf = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(retry);
    return new StoredExperiment(
        rs.getString("run_id"),
        rs.getInt("seq"),
        rs.getString("status"),
        rs.getString("requested"),
        rs.getString("achieved"),
        rs.getString("objective_values"),
        rs.getString("cause"),
        rs.getInt("reached") != 0,
        retryOf,
        Instant.ofEpochMilli(rs.getLong("planned_at")),
        instant(rs, "started_at"),
        instant(rs, "ended_at"));
  }

  private ExperimentRecord experiment(StoredExperiment x) {
    return new ExperimentRecord(
        x.runId(),
        x.seq(),
        ExperimentStatus.valueOf(x.status()),
        json.point(x.requested()),
        x.achieved() == null ? Optional.empty() : Optional.of(json.point(x.achieved())),
        json.doubles(x.values()),
        Optional.ofNullable(x.cause()),
        x.reached(),
        x.retryOf(),
        x.plannedAt(),
        x.startedAt(),
        x.endedAt());
  }

  /** Above this many experiments, their JSON columns are parsed on every core. */
  private static final int PARALLEL_PARSE = 2000;

  /**
   * The rows are read under the connection's lock and their JSON parsed after it is released: the
   * engine, which needs the connection for every transition, waits for the read only. A big run
   * (the console opening 10,000 experiments) is parsed on every core.
   */
  List<ExperimentRecord> experiments(String runId) {
    List<StoredExperiment> rows =
        db.tx(
            "reading experiments of " + runId,
            c ->
                query(
                    c,
                    RunHistory::storedExperiment,
                    "SELECT * FROM experiments WHERE run_id = ? ORDER BY seq",
                    runId));
    try {
      return (rows.size() > PARALLEL_PARSE ? rows.parallelStream() : rows.stream())
          .map(this::experiment)
          .toList();
    } catch (RuntimeException e) {
      throw new StoreException(
          "reading experiments of " + runId + " failed: " + Errors.rootMessage(e), e);
    }
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
          readDecisions(c, out, "", runId);
          return out;
        });
  }

  /** The decisions of only these experiments (one page of the console's table). */
  Map<Integer, Suggestion> decisions(String runId, Collection<Integer> seqs) {
    if (seqs.isEmpty()) return Map.of();
    List<Integer> all = List.copyOf(new TreeSet<>(seqs));
    return db.tx(
        "reading decisions of " + runId,
        c -> {
          Map<Integer, Suggestion> out = new LinkedHashMap<>();
          for (int from = 0; from < all.size(); from += 500) {
            List<Integer> chunk = all.subList(from, Math.min(all.size(), from + 500));
            Object[] args = new Object[chunk.size() + 1];
            args[0] = runId;
            for (int k = 0; k < chunk.size(); k++) args[k + 1] = chunk.get(k);
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            readDecisions(c, out, " AND d.seq IN (" + marks + ")", args);
          }
          return out;
        });
  }

  /**
   * Decisions with their experiment's requested point joined in, in one query (a query per decision
   * made opening a 10,000-experiment campaign take most of a second).
   */
  private void readDecisions(
      Connection c, Map<Integer, Suggestion> out, String andWhere, Object... args)
      throws SQLException {
    query(
        c,
        rs ->
            out.put(
                rs.getInt("seq"),
                new Suggestion(
                    json.point(rs.getString("requested")),
                    rs.getString("planner"),
                    rs.getString("reason"),
                    rs.getObject("acquisition") == null ? Double.NaN : rs.getDouble("acquisition"),
                    json.doubles(rs.getString("predicted_mean")),
                    json.doubles(rs.getString("predicted_sd")),
                    json.doubles(rs.getString("details")))),
        "SELECT d.seq, d.planner, d.reason, d.acquisition, d.predicted_mean, d.predicted_sd,"
            + " d.details, e.requested FROM decisions d JOIN experiments e"
            + " ON e.run_id = d.run_id AND e.seq = d.seq WHERE d.run_id = ?"
            + andWhere
            + " ORDER BY d.seq",
        args);
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
