package io.labloop.orchestrator.store;

import static io.labloop.orchestrator.store.StoreConnection.now;
import static io.labloop.orchestrator.store.StoreConnection.query;
import static io.labloop.orchestrator.store.StoreConnection.update;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which daemon (or {@code labloop run}) drives each run: {@code runs.driven_by} and {@code
 * driven_since}, written when an engine starts or takes a run over. The claim itself is {@link
 * RunOwnership}'s; this is the record people read ({@code labloop status}, the API).
 */
final class RunDrivers {
  private final StoreConnection db;

  RunDrivers(StoreConnection db) {
    this.db = db;
  }

  void record(String runId, String driver) {
    db.tx(
        "recording the driver of run " + runId,
        c ->
            update(
                c,
                "UPDATE runs SET driven_by = ?, driven_since = ? WHERE id = ?",
                driver,
                now(),
                runId));
  }

  Map<String, String> all() {
    return db.tx(
        "reading the drivers of runs",
        c -> {
          Map<String, String> out = new LinkedHashMap<>();
          query(
                  c,
                  rs -> Map.entry(rs.getString(1), rs.getString(2)),
                  "SELECT id, driven_by FROM runs WHERE driven_by IS NOT NULL")
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return out;
        });
  }
}
