package io.labloop.orchestrator.store;

import io.labloop.common.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which process may drive a campaign's run: exactly one at a time, whatever PC it is on.
 *
 * <p>On SQLite (one PC) a claim is the data folder's file lock, {@link RunLock}. On PostgreSQL a
 * claim is a session-level advisory lock taken on a connection of its own that this object keeps
 * open for the life of the process: PostgreSQL drops a session's advisory locks when the session
 * ends, and the session ends when the process dies in any way (SIGKILL, a power cut once TCP
 * keepalive notices, a lost network), so a dead driver never leaves a stale claim, and a standby
 * daemon that polls with {@link #tryClaim} gets the run as soon as the driver is gone. The lock is
 * per campaign, like the file lock: a campaign has at most one RUNNING run, and whoever starts or
 * resumes the campaign drives that run.
 *
 * <p>The key is the two-integer form {@code (0x4C4C5255, first 4 bytes of SHA-256 of the campaign
 * name)}, so LabLoop's locks never mix with another application's on the same database and {@link
 * #drivenNow} can find them in {@code pg_locks}. Two names with the same 4 bytes (one chance in
 * four billion per pair) would only keep those two campaigns from running at the same time.
 * Advisory locks are re-entrant within one session, so this object also remembers the campaigns it
 * holds: a second claim from the same process is refused as a second process's would be.
 */
public final class RunOwnership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunOwnership.class);

  /** "LLRU": the first key of every LabLoop run lock. */
  static final int NAMESPACE = 0x4C4C5255;

  private final StoreLocation location;
  private final Connection session; // null on SQLite
  private final Set<String> held = new HashSet<>();

  private RunOwnership(StoreLocation location, Connection session) {
    this.location = location;
    this.session = session;
  }

  /** Claims on the store at {@code location}: file locks for SQLite, advisory locks otherwise. */
  public static RunOwnership open(StoreLocation location) {
    if (location.isSqlite()) return new RunOwnership(location, null);
    Properties props = new Properties();
    if (!location.user().isEmpty()) props.setProperty("user", location.user());
    if (!location.password().isEmpty()) props.setProperty("password", location.password());
    // a PC that loses power sends no FIN; keepalive lets the server end its session (and drop
    // its locks) on the server's keepalive settings, see docs/multi-pc.md
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "labloop run lock");
    try {
      Connection c = DriverManager.getConnection(location.jdbcUrl(), props);
      c.setAutoCommit(true);
      return new RunOwnership(location, c);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open the run-lock session on " + location + ": " + Errors.rootMessage(e), e);
    }
  }

  /** True when several PCs can share the store, so a standby daemon can take runs over. */
  public boolean shared() {
    return session != null;
  }

  /**
   * Claims the right to drive {@code campaign}'s run.
   *
   * @return empty if another engine (this process or another, on any PC for PostgreSQL) holds it
   */
  public Optional<RunClaim> tryClaim(String campaign) {
    if (session == null) return RunLock.tryAcquire(location.dataDir(), campaign).map(l -> l);
    synchronized (this) {
      if (held.contains(campaign)) return Optional.empty();
      try (PreparedStatement ps = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
        ps.setInt(1, NAMESPACE);
        ps.setInt(2, key(campaign));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) return Optional.empty();
        }
      } catch (SQLException e) {
        throw new StoreException(
            "cannot lock campaign " + campaign + " on " + location + ": " + Errors.rootMessage(e),
            e);
      }
      held.add(campaign);
      return Optional.of(new Advisory(campaign));
    }
  }

  /**
   * Which of {@code campaigns} some session (any PC) holds the claim of now. Empty on SQLite, where
   * only this process's own runs can be known.
   */
  public Set<String> drivenNow(Collection<String> campaigns) {
    if (session == null || campaigns.isEmpty()) return Set.of();
    Set<Long> locked = new HashSet<>();
    synchronized (this) {
      try (PreparedStatement ps =
          session.prepareStatement(
              "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted"
                  + " AND objsubid = 2 AND classid::bigint = ?"
                  + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
        ps.setLong(1, Integer.toUnsignedLong(NAMESPACE));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) locked.add(rs.getLong(1));
        }
      } catch (SQLException e) {
        log.warn("cannot read the run locks on {}: {}", location, Errors.rootMessage(e));
        return Set.of();
      }
    }
    Set<String> out = new HashSet<>();
    for (String c : campaigns) if (locked.contains(Integer.toUnsignedLong(key(c)))) out.add(c);
    return out;
  }

  /**
   * Whether the claims are still held. On PostgreSQL false once the lock session broke (the
   * database restarted, the network failed): the server has dropped this session's locks, and
   * another daemon may already drive the runs this process thought it held.
   */
  public boolean connected() {
    if (session == null) return true;
    synchronized (this) {
      try {
        return session.isValid(5);
      } catch (SQLException e) {
        return false;
      }
    }
  }

  /** Ends the lock session (PostgreSQL drops every claim still held through it). */
  @Override
  public synchronized void close() {
    if (session == null) return;
    try {
      session.close();
    } catch (SQLException e) {
      log.warn("closing the run-lock session: {}", e.getMessage());
    }
    held.clear();
  }

  /** The second key of {@code campaign}'s lock. */
  static int key(String campaign) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(campaign.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d, 0, 4).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private final class Advisory implements RunClaim {
    private final String campaign;
    private boolean closed;

    Advisory(String campaign) {
      this.campaign = campaign;
    }

    @Override
    public void close() {
      synchronized (RunOwnership.this) {
        if (closed) return;
        closed = true;
        held.remove(campaign);
        try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
          ps.setInt(1, NAMESPACE);
          ps.setInt(2, key(campaign));
          ps.execute();
        } catch (SQLException e) {
          // a broken session has dropped the lock already
          log.warn("releasing the lock of campaign {}: {}", campaign, Errors.rootMessage(e));
        }
      }
    }
  }
}
