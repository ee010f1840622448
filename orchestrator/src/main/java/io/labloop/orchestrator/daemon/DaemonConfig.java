package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The daemon's settings: {@code labloop.yaml} with the command line's flags laid over it.
 *
 * @param lab the lab file the daemon runs
 * @param campaignDir where relative paths in submitted campaigns resolve (a candidate CSV ...)
 * @param data the data folder (store, token, url, submitted campaigns, logs)
 * @param sim start the lab's virtual instruments in-process (no hardware)
 * @param bind the API's address (127.0.0.1 unless configured)
 * @param port the API's port (0: any free one; the bound URL is written to DATA/url)
 * @param maxBody the largest request body accepted, bytes
 * @param tls HTTPS with this keystore
 * @param tokens extra named tokens, name to hex SHA-256
 * @param store a JDBC store (PostgreSQL); SQLite in the data folder when empty
 * @param healthEvery how often instruments are asked for their health
 * @param calibrations commands sent on a schedule
 * @param zone the time zone cron expressions are read in
 * @param shutdownGrace how long SIGTERM waits for running steps
 * @param name this daemon's name in the store and the API ({@code --name}, {@code name:}); empty:
 *     the host name and the API port, see {@link #daemonName()}
 */
public record DaemonConfig(
    Path lab,
    Path campaignDir,
    Path data,
    boolean sim,
    String bind,
    int port,
    long maxBody,
    Optional<TlsSettings> tls,
    Map<String, String> tokens,
    Optional<StoreUrl> store,
    Duration healthEvery,
    List<Calibration> calibrations,
    TimeZone zone,
    Duration shutdownGrace,
    String name) {

  public DaemonConfig {
    tokens = Map.copyOf(tokens);
    calibrations = List.copyOf(calibrations);
    name = name == null ? "" : name.strip();
  }

  /** Settings with the default name. */
  public DaemonConfig(
      Path lab,
      Path campaignDir,
      Path data,
      boolean sim,
      String bind,
      int port,
      long maxBody,
      Optional<TlsSettings> tls,
      Map<String, String> tokens,
      Optional<StoreUrl> store,
      Duration healthEvery,
      List<Calibration> calibrations,
      TimeZone zone,
      Duration shutdownGrace) {
    this(
        lab,
        campaignDir,
        data,
        sim,
        bind,
        port,
        maxBody,
        tls,
        tokens,
        store,
        healthEvery,
        calibrations,
        zone,
        shutdownGrace,
        "");
  }

  /**
   * The name this daemon goes by: {@link #name()}, else {@code HOST:PORT} (with port 0, which a
   * second daemon on the PC could also be given, {@code HOST:pidPID}).
   */
  public String daemonName() {
    if (!name.isEmpty()) return name;
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return host
        + ":"
        + (port != 0 ? Integer.toString(port) : "pid" + ProcessHandle.current().pid());
  }

  /** A JDBC store. The password is kept out of {@link #toString()}. */
  public record StoreUrl(String url, String user, String password) {
    @Override
    public String toString() {
      return "StoreUrl[" + url + ", user=" + user + ", password=***]";
    }
  }

  /** {@code calibrations: - { instrument, command, cron }}. */
  public record Calibration(String instrument, String command, String cron) {}

  /** The defaults of a daemon without a settings file, for {@code lab}. */
  public static DaemonConfig defaults(Path lab, Path data) {
    Path dir = lab.toAbsolutePath().getParent();
    return new DaemonConfig(
        lab,
        dir,
        data,
        false,
        "127.0.0.1",
        8080,
        1L << 20,
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Duration.ofMinutes(1),
        List.of(),
        TimeZone.getDefault(),
        Duration.ofSeconds(60),
        "");
  }
}
