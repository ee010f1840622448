package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.mqtt.EmbeddedBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker itself restarts (in-memory persistence: every session and subscription is gone). The
 * driver must reconnect by itself and subscribe to its response topic again, which Paho's automatic
 * reconnect does not do. The lab uses an external broker this test starts and stops.
 */
class MqttReconnectIT {

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void afterABrokerRestartTheDriverReconnectsResubscribesAndAnswersAgain() throws Exception {
    URI address = URI.create("tcp://127.0.0.1:" + freePort());
    EmbeddedBroker broker = EmbeddedBroker.start(address, dir.resolve("broker1"));
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        Map.of(
            "driver",
            "mqtt",
            "broker",
            address.toString(),
            "commands",
            Map.of(
                "synthesize",
                Map.of(
                    "request",
                    "lab/robot/synthesize",
                    "outputs",
                    List.of("sampleId"),
                    "timeout",
                    "3s"))));
    Map<String, Object> tree = Labs.lab(instruments, Map.of("robot", Labs.synthesizer()), 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> simulation = (Map<String, Object>) tree.get("simulation");
    simulation.put("broker", "external");
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Drivers drivers = Drivers.standard()) {
      Instrument robot = Labs.create(drivers, lab, "robot", dir.resolve("data"));
      robot.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      ok(robot.execute(new Command("synthesize", SYNTH_ARGS)));

      broker.close();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> robot.status().state() == InstrumentStatus.State.OFFLINE);
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.BRIDGE_DOWN),
          robot.status().reasonKind(),
          "the broker, not the instrument");
      // While the broker is away a command fails at once instead of waiting for its timeout.
      InstrumentError e =
          fails(
              robot.execute(new Command("synthesize", SYNTH_ARGS)),
              InstrumentError.Disconnected.class);
      assertTrue(e.getMessage().contains("not connected to broker"), e.getMessage());

      broker = EmbeddedBroker.start(address, dir.resolve("broker2"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> robot.status().state() == InstrumentStatus.State.ONLINE);
      // A reply can only arrive if the driver subscribed to its response topic again.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  robot
                      .execute(new Command("synthesize", SYNTH_ARGS))
                      .handle((r, x) -> x == null)
                      .get());
      assertEquals(InstrumentStatus.State.ONLINE, robot.status().state());
      robot.close();
    } finally {
      broker.close();
    }
  }
}
