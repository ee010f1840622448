package io.labloop.orchestrator.store;

import io.labloop.common.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one JDBC connection: opening it (Flyway brings the schema up to date first, then
 * SQLite gets WAL and synchronous FULL), and running each store call as one transaction on it.
 * Calls are serialised on the connection; a failed call is rolled back and reported as a {@link
 * StoreException} that names the store and what was being done.
 */
final class StoreConnection {

  private static final Logger log = LoggerFactory.getLogger(StoreConnection.class);

  private final Connection connection;
  private final Path attachments;
  private final String description;

  private StoreConnection(Connection connection, Path attachments, String description) {
    this.connection = connection;
    this.attachments = attachments;
    this.description = description;
  }

  /** The folder of attachment files beside the database. */
  Path attachments() {
    return attachments;
  }

  static StoreConnection open(StoreLocation location) {
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
      return new StoreConnection(c, attachments, location.toString());
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
  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  synchronized <T> T tx(String what, Work<T> work) {
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

  static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
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

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  static <T> List<T> query(Connection c, RowMapper<T> mapper, String sql, Object... args)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(mapper.map(rs));
      return out;
    }
  }

  static long now() {
    return System.currentTimeMillis();
  }

  static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the store: {}", e.getMessage());
    }
  }
}
