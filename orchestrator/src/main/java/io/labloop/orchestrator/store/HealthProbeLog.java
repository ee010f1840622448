package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.query;
import static io.labloop.orchestrator.store.StoreConnection.update;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The daemon's instrument health probes ({@code health_probes}, schema V3): one row per probe,
 * newest read first, rows older than the kept period dropped as new ones come. Not part of any run:
 * the lab's history, for the console's instruments page.
 */
final class HealthProbeLog {

  private final StoreConnection db;

  HealthProbeLog(StoreConnection db) {
    this.db = db;
  }

  void record(HealthProbeRecord p, Duration keep) {
    db.tx(
        "recording a health probe of " + p.instrument(),
        c -> {
          update(
              c,
              "INSERT INTO health_probes (at, instrument, command, outcome, millis, message)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
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

  List<HealthProbeRecord> newest(String instrument, int limit) {
    return db.tx(
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
}
