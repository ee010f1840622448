package io.labloop.orchestrator.agent;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent tests' files and child processes: {@code labloop sim}, {@code labloop agent} and {@code
 * labloop run} as real processes with this JVM's class path, each writing to its own log; the lab
 * and campaign from the test resources {@code agent/} with free ports and the test's folder filled
 * in.
 */
final class LabloopProcesses implements AutoCloseable {

  private final Path dir;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<Process> started = new ArrayList<>();

  LabloopProcesses(Path dir) {
    this.dir = dir;
    values.put("LOOP_DIR", dir.toAbsolutePath().toString());
    values.put("ROBOT_PORT", Integer.toString(freePort()));
    values.put("MQTT_PORT", Integer.toString(freePort()));
    values.put("TIME_SCALE", "0.0003");
    values.put("MEASURE", "2m");
    values.put("BUDGET", "4");
  }

  LabloopProcesses set(String key, Object value) {
    values.put(key, String.valueOf(value));
    return this;
  }

  String broker() {
    return "tcp://127.0.0.1:" + values.get("MQTT_PORT");
  }

  Path dir() {
    return dir;
  }

  /** Writes a resource of {@code agent/} into the test folder with the values filled in. */
  Path write(String name) {
    try (InputStream in = LabloopProcesses.class.getResourceAsStream("/agent/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet())
        text = text.replace("{{" + v.getKey() + "}}", v.getValue());
      Path file = dir.resolve(name);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code labloop ARGS...}, output to {@code NAME.log}. */
  Process start(String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.labloop.orchestrator.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /** Waits until {@code name}'s log contains {@code text}, or fails with the log's tail. */
  void awaitOutput(String name, Process p, String text, Duration within) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(50))
          .failFast(() -> !p.isAlive() && !output(name).contains(text))
          .until(() -> output(name).contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException
        | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(
          "labloop " + name + " did not print '" + text + "':\n" + tail(name), e);
    }
  }

  String output(String name) {
    try {
      return Files.exists(log(name)) ? Files.readString(log(name)) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The last 40 lines of {@code name}'s log, for assertion messages. */
  String tail(String name) {
    List<String> lines = output(name).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM to everything still running (the sim stops its broker), SIGKILL after 15 s. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : started) if (p.isAlive()) p.destroy();
    for (Process p : started) {
      if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }
}
