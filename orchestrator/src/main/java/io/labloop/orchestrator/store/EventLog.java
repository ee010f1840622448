package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.now;
import static io.labloop.orchestrator.store.StoreConnection.query;
import static io.labloop.orchestrator.store.StoreConnection.update;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The events of a run (alerts, operator actions, instrument status changes) and the audit trail
 * they make: numbered per run in the order they were recorded, with kind, severity and the acting
 * user in their own columns so nothing is parsed back out of the message text.
 */
final class EventLog {

  private final StoreConnection db;

  EventLog(StoreConnection db) {
    this.db = db;
  }

  EventRecord addEvent(
      String runId,
      EventKind kind,
      Severity severity,
      Optional<String> actor,
      Optional<String> instrument,
      OptionalInt seq,
      String message) {
    return db.tx(
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

  List<EventRecord> events(String runId) {
    return db.tx(
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
}
