package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the data is: {@code --data DIR} (SQLite there by default) and optionally a PostgreSQL URL.
 */
final class DataOptions {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "labloop-data",
      description =
          "Data folder: the SQLite store labloop.db and attachments (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description =
          "Use this database instead of DIR/labloop.db, e.g. jdbc:postgresql://db.lab:5432/labloop. "
              + "The password is read from the environment variable LABLOOP_DB_PASSWORD.")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user for --db.")
  String user;

  StoreLocation location() {
    if (jdbcUrl == null) return StoreLocation.sqlite(data);
    if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:sqlite:")) {
      throw new UserError(
          "--db "
              + jdbcUrl
              + ": expected a jdbc:postgresql://HOST:PORT/DB or jdbc:sqlite:FILE URL");
    }
    return StoreLocation.jdbc(jdbcUrl, user, System.getenv("LABLOOP_DB_PASSWORD"), data);
  }

  /**
   * Opens the store a campaign ran with; a missing SQLite file is the user's mistake, not a new
   * store.
   */
  Store openExisting() {
    if (jdbcUrl == null && !Files.isRegularFile(data.resolve("labloop.db"))) {
      throw new UserError(
          "no store at "
              + data.resolve("labloop.db")
              + " (give the --data folder the campaign ran with)");
    }
    return Store.open(location());
  }

  /**
   * The run {@code runId} of campaign {@code name} ({@code --run}), or its latest run when {@code
   * runId} is null.
   */
  RunRecord run(Store store, String name, String runId) {
    return runId != null
        ? store
            .run(runId)
            .filter(r -> r.campaign().equals(name))
            .orElseThrow(
                () -> new UserError("campaign " + name + " has no run " + runId + " in " + data))
        : store
            .latestRun(name)
            .orElseThrow(() -> new UserError("campaign " + name + " has no runs in " + data));
  }
}
