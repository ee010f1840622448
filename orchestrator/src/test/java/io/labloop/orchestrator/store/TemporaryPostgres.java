package io.labloop.orchestrator.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL cluster for tests, made with the server binaries of the machine
 * ({@code initdb}, {@code pg_ctl}; Debian package {@code postgresql}): a fresh data folder,
 * trust authentication, a free loopback port, stopped (immediately) and deleted at close.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the {@code postgres} user.
 */
public final class TemporaryPostgres implements AutoCloseable {

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asPostgresUser;

  private TemporaryPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  public static TemporaryPostgres start() throws IOException, InterruptedException {
    Path bin = findBin();
    Path dir = Files.createTempDirectory("labloop-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) run(List.of("chown", "-R", "postgres", dir.toString()), false);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TemporaryPostgres pg = new TemporaryPostgres(dir, bin, port, root);
    pg.exec(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "labloop",
        "--no-sync", "-E", "UTF8"));
    pg.exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString(),
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    return pg;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=labloop";
  }

  /** A new empty database in this cluster, so that each test starts clean. */
  public String newDatabase(String name) throws IOException, InterruptedException {
    exec(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "labloop", name));
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  private static Path findBin() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) return Path.of(out);
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).findFirst()
          .orElseThrow(() -> new IllegalStateException("PostgreSQL server binaries not found: install the postgresql package"));
    }
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(command);
    run(full, true);
  }

  private static void run(List<String> command, boolean check) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || (check && p.exitValue() != 0)) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
