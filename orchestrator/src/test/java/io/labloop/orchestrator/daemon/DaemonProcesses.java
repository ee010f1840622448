package io.labloop.orchestrator.daemon;

import static org.awaitility.Awaitility.await;

import io.labloop.orchestrator.childjvm.ChildJvm;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real {@code labloop daemon --sim} processes for the tests that kill and restart them: each is
 * started with this JVM's class path on a free port, its output appended to {@code DIR/daemon.out},
 * and {@link #close()} kills whatever is still running.
 */
final class DaemonProcesses implements AutoCloseable {
  private final Path dir;
  private final Path lab;
  private final List<Process> started = new ArrayList<>();

  /**
   * @param dir where the output goes; @param lab the lab file the daemons run
   */
  DaemonProcesses(Path dir, Path lab) {
    this.dir = dir;
    this.lab = lab;
  }

  /**
   * Starts {@code labloop daemon --lab LAB --sim --port 0 --data DATA} and waits until it answers.
   */
  Process start(Path data, String... extraArgs) throws IOException {
    Files.deleteIfExists(data.resolve("url"));
    List<String> command =
        ChildJvm.labloop(
            List.of("-Xmx512m", "-Duser.timezone=UTC", "-Dlabloop.data=" + data),
            List.of(
                "daemon",
                "--lab",
                lab.toString(),
                "--sim",
                "--port",
                "0",
                "--data",
                data.toString()));
    command.addAll(List.of(extraArgs));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile()));
    pb.environment().remove("LABLOOP_TOKEN");
    Process p = pb.start();
    started.add(p);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              if (!p.isAlive())
                throw new IllegalStateException("the daemon exited: " + Files.readString(output()));
              if (!Files.exists(data.resolve("url"))) return false;
              try {
                return "ok".equals(client(data).health().get("status"));
              } catch (RuntimeException e) {
                return false;
              }
            });
    return p;
  }

  /** Everything the daemons printed. */
  Path output() {
    return dir.resolve("daemon.out");
  }

  /** A client of the daemon serving {@code data} now (each start writes a new DATA/url). */
  static LabLoopClient client(Path data) {
    return new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
  }

  @Override
  public void close() {
    started.forEach(Process::destroyForcibly);
  }
}
