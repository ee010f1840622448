package io.labloop.orchestrator.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives.
 *
 * @param jdbcUrl the database ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...})
 * @param user database user, empty for SQLite
 * @param password database password, empty for SQLite; never logged
 * @param dataDir the data folder: attachments are kept in {@code dataDir/attachments}
 */
public record StoreLocation(String jdbcUrl, String user, String password, Path dataDir) {

  public StoreLocation {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(dataDir, "dataDir");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
  }

  /** The default: {@code dataDir/labloop.db}. */
  public static StoreLocation sqlite(Path dataDir) {
    return new StoreLocation(
        "jdbc:sqlite:" + dataDir.resolve("labloop.db").toAbsolutePath(), "", "", dataDir);
  }

  public static StoreLocation jdbc(String url, String user, String password, Path dataDir) {
    return new StoreLocation(url, user, password, dataDir);
  }

  boolean isSqlite() {
    return jdbcUrl.startsWith("jdbc:sqlite:");
  }

  /** The URL without credentials, for messages. */
  @Override
  public String toString() {
    return jdbcUrl.replaceAll("password=[^&;]*", "password=***");
  }
}
