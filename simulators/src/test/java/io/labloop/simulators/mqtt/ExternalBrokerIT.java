package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.labloop.simulators.VirtualLab;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code simulation.broker: external}, the device uses the broker the lab names (Debian's
 * mosquitto 2).
 */
class ExternalBrokerIT {

  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  @Test
  void theDeviceAnswersThroughAnExternalBroker(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(MOSQUITTO), "mosquitto is not installed (apt-get install mosquitto)");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
    Process broker =
        new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () -> {
                new Socket("127.0.0.1", port).close();
                return true;
              });
      Map<String, Object> tree =
          Map.of(
              "instruments",
                  Map.of(
                      "xrd",
                      Map.of(
                          "driver",
                          "mqtt",
                          "broker",
                          "tcp://127.0.0.1:" + port,
                          "commands",
                          Map.of(
                              "scan",
                              Map.of(
                                  "request",
                                  "lab/xrd/scan",
                                  "payload",
                                  Map.of("sample", "{sampleId}"),
                                  "outputs",
                                  List.of("crystallinity")))),
                      "robot",
                      Map.of(
                          "driver",
                          "mqtt",
                          "broker",
                          "tcp://127.0.0.1:" + port,
                          "commands",
                          Map.of("make", Map.of("request", "lab/robot/make")))),
              "simulation",
                  Map.of(
                      "broker",
                      "external",
                      "time-scale",
                      0,
                      "world",
                      Map.of("expression", Map.of("crystallinity", "x / 100")),
                      "instruments",
                      Map.of(
                          "robot", Map.of("role", "synthesizer"),
                          "xrd",
                              Map.of("role", "measurer", "measures", List.of("crystallinity")))));
      try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
          MqttTestClient client = new MqttTestClient("tcp://127.0.0.1:" + port)) {
        assertEquals("tcp://127.0.0.1:" + port, lab.endpoint("xrd").address());
        String id = (String) client.requestJson("lab/robot/make", Map.of("x", 42)).get("sampleId");
        assertEquals(
            0.42,
            ((Number) client.requestJson("lab/xrd/scan", Map.of("sample", id)).get("crystallinity"))
                .doubleValue(),
            1e-12);
      }
    } finally {
      broker.destroy();
      broker.waitFor();
    }
  }
}
