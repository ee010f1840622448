package io.labloop.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.common.Errors;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over one JDBC connection, for SQLite and PostgreSQL alike (the schema uses only
 * portable types). Calls are serialised on the connection; each is one transaction. Attachments are
 * written (to a temporary name, fsynced, then renamed) before the row that names them is committed,
 * so a committed row always has its file.
 */
final class JdbcStore implements Store {

  private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Connection connection;
  private final Path attachments;
  private final ObjectMapper json = new ObjectMapper();
  private final com.fasterxml.jackson.databind.ObjectReader mapReader = json.readerFor(MAP);
  private final String description;

  private JdbcStore(Connection connection, Path attachments, String description) {
    this.connection = connection;
    this.attachments = attachments;
    this.description = description;
  }

  static JdbcStore open(StoreLocation location) {
    try {
      Files.createDirectories(location.dataDir());
      Path attachments = location.dataDir().resolve("attachments");
      Files.createDirectories(attachments);
      Flyway.configure()
          .dataSource(location.jdbcUrl(), location.user(), location.password())
          // the schema common to both databases, then what each spells its own way
          .locations(
              "classpath:db/migration",
              location.isSqlite() ? "classpath:db/sqlite" : "classpath:db/postgresql")
          .load()
          .migrate();
      Properties props = new Properties();
      if (!location.user().isEmpty()) props.setProperty("user", location.user());
      if (!location.password().isEmpty()) props.setProperty("password", location.password());
      Connection c = DriverManager.getConnection(location.jdbcUrl(), props);
      if (location.isSqlite()) {
        try (Statement s = c.createStatement()) {
          // WAL: readers (export, the daemon's API) never block the writer. FULL: a committed
          // transaction survives a power cut, which is the point of writing before acting.
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=FULL");
          s.execute("PRAGMA busy_timeout=10000");
          s.execute("PRAGMA foreign_keys=ON");
        }
      }
      c.setAutoCommit(false);
      log.info("store open at {}", location);
      return new JdbcStore(c, attachments, location.toString());
    } catch (SQLException | RuntimeException e) {
      throw new StoreException(
          "cannot open the store at " + location + ": " + Errors.rootMessage(e), e);
    } catch (IOException e) {
      throw new StoreException(
          "cannot create the data folder " + location.dataDir() + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- transactions

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  private synchronized <T> T tx(String what, Work<T> work) {
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw new StoreException(
          "store (" + description + "): " + what + " failed: " + Errors.rootMessage(e), e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) ps.setNull(i + 1, Types.NULL); // untyped: PostgreSQL infers the column type
      else if (a instanceof Integer n) ps.setInt(i + 1, n);
      else if (a instanceof Long n) ps.setLong(i + 1, n);
      else if (a instanceof Double d) {
        if (d.isNaN()) ps.setNull(i + 1, Types.DOUBLE);
        else ps.setDouble(i + 1, d);
      } else if (a instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
      else ps.setString(i + 1, a.toString());
    }
    return ps;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> query(Connection c, RowMapper<T> mapper, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(mapper.map(rs));
      return out;
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + value, e);
    }
  }

  private Map<String, Object> map(String text) {
    if (text == null) return Map.of();
    try {
      return mapReader.readValue(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + text, e);
    }
  }

  /** Points keep numbers as Double and names as String, whatever JSON made of them. */
  private Point point(String text) {
    Map<String, Object> raw = map(text);
    Map<String, Object> values = new LinkedHashMap<>();
    raw.forEach((k, v) -> values.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
    return new Point(values);
  }

  private Map<String, Double> doubles(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    map(text).forEach((k, v) -> out.put(k, v instanceof Number n ? n.doubleValue() : Double.NaN));
    return out;
  }

  // ---------------------------------------------------------------- campaigns and runs

  @Override
  public void saveCampaign(String name, Path file, String yaml, String sha256) {
    tx(
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
    return tx(
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
    return tx(
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
    return tx(
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
    return tx(
        "reading run " + runId,
        c ->
            query(c, JdbcStore::runRow, "SELECT * FROM runs WHERE id = ?", runId).stream()
                .findFirst());
  }

  @Override
  public List<RunRecord> runs(String campaign) {
    return tx(
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
    return tx(
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
    tx(
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
    tx(
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
    tx(
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
        toJson(requested.values()),
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
        toJson(d.predictedMean()),
        toJson(d.predictedSd()),
        toJson(d.details()),
        t);
  }

  @Override
  public void retryHeld(
      String runId, int heldSeq, String cause, int retrySeq, Suggestion decision) {
    tx(
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
              point(requested.get(0)),
              decision,
              ExperimentStatus.PLANNED,
              OptionalInt.of(heldSeq));
          return null;
        });
  }

  @Override
  public void setExperimentStatus(
      String runId, int seq, ExperimentStatus status, Optional<String> cause) {
    tx(
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

  @Override
  public void stepStarted(StepRecord s) {
    tx(
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

  @Override
  public void stepRefused(StepRecord s) {
    tx(
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
        toJson(s.arguments()),
        status.name(),
        s.idempotencyKey(),
        plannedAt,
        startedAt);
  }

  @Override
  public List<AttachmentRecord> stepDone(
      String runId,
      int seq,
      int stepIndex,
      int attempt,
      Map<String, Object> outputs,
      List<NewAttachment> files) {
    List<AttachmentRecord> written = new ArrayList<>();
    for (NewAttachment a : files) {
      String sha = writeFile(a.data());
      written.add(
          new AttachmentRecord(
              runId, seq, stepIndex, attempt, a.name(), a.mediaType(), sha, a.data().length));
    }
    tx(
        "journaling " + runId + "#" + seq + " step " + stepIndex + " as done",
        c -> {
          update(
              c,
              "UPDATE steps SET status = ?, ended_at = ?, outputs = ? WHERE run_id = ? AND seq = ? AND step_index = ? AND attempt = ?",
              StepStatus.DONE.name(),
              now(),
              toJson(outputs),
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

  /** Content-addressed: the same bytes are kept once, whatever step they came with. */
  private String writeFile(byte[] data) {
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    Path target = attachments.resolve(sha);
    if (Files.exists(target)) return sha;
    try {
      Path tmp = Files.createTempFile(attachments, sha, ".part");
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(data));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return sha;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write attachment " + target, e);
    }
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
    tx(
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

  @Override
  public void finishExperiment(
      String runId,
      int seq,
      ExperimentStatus status,
      Optional<Point> achieved,
      Map<String, Double> values,
      Optional<String> cause,
      Optional<Observation> learned) {
    tx(
        "finishing experiment " + runId + "#" + seq,
        c -> {
          long t = now();
          update(
              c,
              "UPDATE experiments SET status = ?, achieved = ?, objective_values = ?, cause = ?, ended_at = ? WHERE run_id = ? AND seq = ?",
              status.name(),
              achieved.map(p -> toJson(p.values())).orElse(null),
              values.isEmpty() ? null : toJson(values),
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
                toJson(o.point().values()),
                toJson(o.values()),
                t);
          }
          return null;
        });
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
        point(x.requested()),
        x.achieved() == null ? Optional.empty() : Optional.of(point(x.achieved())),
        doubles(x.values()),
        Optional.ofNullable(x.cause()),
        x.reached(),
        x.retryOf(),
        x.plannedAt(),
        x.startedAt(),
        x.endedAt());
  }

  /** Above this many experiments, their JSON columns are parsed on every core. */
  private static final int PARALLEL_PARSE = 2000;

  @Override
  public List<ExperimentRecord> experiments(String runId) {
    // The rows are read under the connection's lock, their JSON parsed after it is released: the
    // engine, which needs the connection for every transition, waits for the read only. A big run
    // (the console opening 10,000 experiments) is parsed on every core.
    List<StoredExperiment> rows =
        tx(
            "reading experiments of " + runId,
            c ->
                query(
                    c,
                    JdbcStore::storedExperiment,
                    "SELECT * FROM experiments WHERE run_id = ? ORDER BY seq",
                    runId));
    try {
      return (rows.size() > PARALLEL_PARSE ? rows.parallelStream() : rows.stream())
          .map(this::experiment)
          .toList();
    } catch (RuntimeException e) {
      throw new StoreException(
          "store ("
              + description
              + "): reading experiments of "
              + runId
              + " failed: "
              + Errors.rootMessage(e),
          e);
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
        map(rs.getString("arguments")),
        StepStatus.valueOf(rs.getString("status")),
        rs.getString("idempotency_key"),
        Instant.ofEpochMilli(rs.getLong("planned_at")),
        instant(rs, "started_at"),
        instant(rs, "ended_at"),
        map(rs.getString("outputs")),
        Optional.ofNullable(rs.getString("error_kind")),
        Optional.ofNullable(rs.getString("error")));
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return tx(
        "reading the journal of " + runId,
        c ->
            query(
                c,
                this::stepRow,
                "SELECT * FROM steps WHERE run_id = ? ORDER BY seq, step_index, attempt",
                runId));
  }

  @Override
  public List<ObservationRecord> observations(String runId) {
    return tx(
        "reading observations of " + runId,
        c ->
            query(
                c,
                rs -> {
                  Observation.Status status = Observation.Status.valueOf(rs.getString("status"));
                  Observation o =
                      new Observation(
                          point(rs.getString("achieved")),
                          doubles(rs.getString("objective_values")),
                          status);
                  return new ObservationRecord(
                      rs.getString("run_id"),
                      rs.getInt("seq"),
                      rs.getInt("ordinal"),
                      o,
                      point(rs.getString("requested")),
                      Instant.ofEpochMilli(rs.getLong("recorded_at")));
                },
                "SELECT * FROM observations WHERE run_id = ? ORDER BY ordinal",
                runId));
  }

  @Override
  public Map<Integer, Suggestion> decisions(String runId) {
    return tx(
        "reading decisions of " + runId,
        c -> {
          Map<Integer, Suggestion> out = new LinkedHashMap<>();
          readDecisions(c, out, "", runId);
          return out;
        });
  }

  @Override
  public Map<Integer, Suggestion> decisions(String runId, java.util.Collection<Integer> seqs) {
    if (seqs.isEmpty()) return Map.of();
    List<Integer> all = List.copyOf(new java.util.TreeSet<>(seqs));
    return tx(
        "reading decisions of " + runId,
        c -> {
          Map<Integer, Suggestion> out = new LinkedHashMap<>();
          for (int from = 0; from < all.size(); from += 500) {
            List<Integer> chunk = all.subList(from, Math.min(all.size(), from + 500));
            Object[] args = new Object[chunk.size() + 1];
            args[0] = runId;
            for (int k = 0; k < chunk.size(); k++) args[k + 1] = chunk.get(k);
            readDecisions(
                c,
                out,
                " AND d.seq IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
                    + ")",
                args);
          }
          return out;
        });
  }

  /**
   * Decisions of a run with the experiment's requested point joined in, in one query (a query per
   * decision made opening a 10,000-experiment campaign take most of a second).
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
                    point(rs.getString("requested")),
                    rs.getString("planner"),
                    rs.getString("reason"),
                    rs.getObject("acquisition") == null ? Double.NaN : rs.getDouble("acquisition"),
                    doubles(rs.getString("predicted_mean")),
                    doubles(rs.getString("predicted_sd")),
                    doubles(rs.getString("details")))),
        "SELECT d.seq, d.planner, d.reason, d.acquisition, d.predicted_mean, d.predicted_sd,"
            + " d.details, e.requested FROM decisions d JOIN experiments e"
            + " ON e.run_id = d.run_id AND e.seq = d.seq WHERE d.run_id = ?"
            + andWhere
            + " ORDER BY d.seq",
        args);
  }

  @Override
  public List<AttachmentRecord> attachments(String runId) {
    return tx(
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

  @Override
  public Path attachmentsDir() {
    return attachments;
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
    return tx(
        "recording event " + kind,
        c -> {
          long ordinal =
              query(
                          c,
                          rs -> rs.getLong(1),
                          "SELECT COALESCE(MAX(ordinal), 0) FROM events WHERE run_id = ?",
                          runId)
                      .get(0)
                  + 1;
          long t = now();
          update(
              c,
              "INSERT INTO events (run_id, ordinal, at, kind, severity, actor, instrument, seq, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              runId,
              ordinal,
              t,
              kind.label(),
              severity.stored(),
              actor.orElse(null),
              instrument.orElse(null),
              seq.isPresent() ? (Object) seq.getAsInt() : null,
              message);
          return new EventRecord(
              runId,
              ordinal,
              Instant.ofEpochMilli(t),
              kind,
              severity,
              actor,
              instrument,
              seq,
              message);
        });
  }

  @Override
  public List<EventRecord> events(String runId) {
    return tx(
        "reading events of " + runId,
        c ->
            query(
                c,
                rs -> {
                  int seq = rs.getInt("seq");
                  OptionalInt s = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(seq);
                  return new EventRecord(
                      rs.getString("run_id"),
                      rs.getLong("ordinal"),
                      Instant.ofEpochMilli(rs.getLong("at")),
                      EventKind.of(rs.getString("kind")),
                      Severity.of(rs.getString("severity")),
                      Optional.ofNullable(rs.getString("actor")),
                      Optional.ofNullable(rs.getString("instrument")),
                      s,
                      rs.getString("message"));
                },
                "SELECT * FROM events WHERE run_id = ? ORDER BY ordinal",
                runId));
  }

  @Override
  public void recordProbe(HealthProbeRecord p, java.time.Duration keep) {
    tx(
        "recording a health probe of " + p.instrument(),
        c -> {
          update(
              c,
              "INSERT INTO health_probes (at, instrument, command, outcome, millis, message) VALUES (?, ?, ?, ?, ?, ?)",
              p.at().toEpochMilli(),
              p.instrument(),
              p.command(),
              p.outcome(),
              p.millis(),
              p.message());
          return update(
              c,
              "DELETE FROM health_probes WHERE instrument = ? AND at < ?",
              p.instrument(),
              p.at().minus(keep).toEpochMilli());
        });
  }

  @Override
  public List<HealthProbeRecord> probes(String instrument, int limit) {
    return tx(
        "reading the health probes of " + instrument,
        c ->
            query(
                c,
                rs ->
                    new HealthProbeRecord(
                        Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("instrument"),
                        rs.getString("command"),
                        rs.getString("outcome"),
                        rs.getLong("millis"),
                        rs.getString("message")),
                "SELECT * FROM health_probes WHERE instrument = ? ORDER BY at DESC LIMIT ?",
                instrument,
                limit));
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the store: {}", e.getMessage());
    }
  }
}
