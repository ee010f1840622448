package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.childjvm.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labloop sim config/labs/sim-lab.yaml} in its own JVM, as a user runs it: it prints one
 * line per instrument, the instruments answer there, and SIGTERM leaves no port listening and no
 * pty link or broker folder behind. The example lab's {@code ${...}} defaults are overridden
 * through the environment so that the test uses free ports and a temporary folder.
 */
class SimCommandIT {

  @Test
  void runsTheExampleLabUntilSigtermAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
    Path lab = Path.of("..", "config", "labs", "sim-lab.yaml").toAbsolutePath().normalize();
    Path link = dir.resolve("uvvis");
    ProcessBuilder pb =
        new ProcessBuilder(
            ChildJvm.labloop(
                List.of(),
                List.of("sim", lab.toString(), "--data", dir.resolve("data").toString())));
    pb.environment().put("ROBOT_ENDPOINT", "opc.tcp://127.0.0.1:0/labloop");
    pb.environment().put("MQTT_BROKER", "tcp://127.0.0.1:0");
    pb.environment().put("UVVIS_PORT", link.toString());
    pb.redirectErrorStream(true);
    Process sim = pb.start();
    List<String> output = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
        output.add(line);
      }
      assertTrue(line != null, "labloop sim did not come up: " + output);

      int opcua = port(output, "robot");
      int mqtt = port(output, "xrd");
      assertTrue(listening(opcua), "OPC UA server listens");
      assertTrue(listening(mqtt), "MQTT broker listens");
      assertTrue(Files.isSymbolicLink(link), "pty linked at the lab file's port");

      sim.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
      List<String> rest = new ArrayList<>();
      while ((line = out.readLine()) != null) {
        rest.add(line);
      }
      assertTrue(sim.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
      assertTrue(rest.contains("virtual lab stopped"), rest.toString());
      assertFalse(listening(opcua), "OPC UA port freed");
      assertFalse(listening(mqtt), "MQTT port freed");
      assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "pty link removed");
      try (Stream<Path> left = Files.list(dir.resolve("data").resolve("virtual-lab"))) {
        assertEquals(
            List.of(),
            left.map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("mqtt-broker"))
                .toList(),
            "broker folder removed");
      }
    } finally {
      sim.destroyForcibly();
    }
  }

  @Test
  void aLabWithoutSimulationIsABadInput(@TempDir Path dir) throws IOException {
    Path lab = dir.resolve("lab.yaml");
    Files.writeString(
        lab,
        """
        lab: bare
        instruments:
          xrd:
            driver: mqtt
            broker: tcp://127.0.0.1:1883
            commands:
              scan: { request: lab/xrd/scan, outputs: [crystallinity] }
        """);
    assertEquals(
        ExitCodes.BAD_INPUT,
        Main.run("sim", lab.toString(), "--data", dir.resolve("data").toString()));
    assertThrows(
        IOException.class, () -> new Socket("127.0.0.1", 1883).close(), "nothing was started");
  }

  private static int port(List<String> output, String instrument) {
    for (String line : output) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[0].equals(instrument)) {
        return URI.create(words[2]).getPort();
      }
    }
    throw new AssertionError("no line for " + instrument + " in " + output);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
