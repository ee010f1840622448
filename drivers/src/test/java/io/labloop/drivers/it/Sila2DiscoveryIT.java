package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SiLA Server Discovery end to end: the virtual lab plays a SiLA 2 server that the lab file names
 * ({@code discover:}) instead of giving its address, so the server announces itself on mDNS ({@code
 * _sila._tcp.local.}, on the host's multicast interface) and the driver finds it by name, checks
 * the name with SiLA Service, and runs a command over TLS; a name nobody answers to leaves the
 * instrument offline with a message naming the servers that did answer.
 */
class Sila2DiscoveryIT {

  private static final String NAME = "LabLoop discovery robot";

  private static Map<String, Object> tree() {
    Map<String, Object> robot = new LinkedHashMap<>();
    robot.put("driver", "sila2");
    robot.put("discover", NAME);
    robot.put("feature", "org.labloop/virtuallab/SynthesisRobot/v1");
    robot.put(
        "commands",
        Map.of(
            "quick-synthesize",
            Map.of("observable", false, "outputs", List.of("sampleId"), "timeout", "3s")));
    return Labs.lab(Map.of("robot", robot), Map.of("robot", Labs.synthesizer()), 0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;

  @BeforeEach
  void drivers() {
    drivers = Drivers.standard();
  }

  @AfterEach
  void close() {
    drivers.close();
  }

  /** The section as the lab has it, the server's certificate trusted, with changes. */
  private static Map<String, Object> section(VirtualLab lab, Map<String, Object> changes) {
    Map<String, Object> s = new LinkedHashMap<>(Labs.section(lab, "robot", changes));
    s.put("tls", Map.of("certificate", lab.endpoint("robot").details().get("certificate")));
    return s;
  }

  @Test
  void theServerIsFoundByItsNameAndRunsACommand(VirtualLab lab) throws Exception {
    Map<String, Object> s = section(lab, Map.of("discover-timeout", "10s"));
    assertFalse(s.containsKey("server"), s.toString());
    try (Instrument robot = Labs.create(drivers, "robot", s, data)) {
      robot.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      assertEquals(InstrumentStatus.State.ONLINE, robot.status().state());
      Reply reply = ok(robot.execute(new Command("quick-synthesize", SYNTH_ARGS)));
      String sample = String.valueOf(reply.outputs().get("sampleId"));
      assertTrue(lab.world().sample(sample).isPresent(), sample);
    }
  }

  @Test
  void aNameNobodyAnswersToLeavesItOfflineNamingTheServersSeen(VirtualLab lab) {
    Map<String, Object> s =
        section(lab, Map.of("discover", "No such robot", "discover-timeout", "2s"));
    try (Instrument robot = Labs.create(drivers, "robot", s, data)) {
      long start = System.nanoTime();
      InstrumentError e = fails(robot.connect(), InstrumentError.Disconnected.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "gave up after " + took);
      String message = e.getMessage();
      assertTrue(message.contains("'No such robot'"), message);
      assertTrue(message.contains("within 2 s"), message);
      assertTrue(message.contains("_sila._tcp.local."), message);
      // the virtual server was seen, by name and address
      assertTrue(message.contains("'" + NAME + "'"), message);
      assertTrue(message.contains(lab.endpoint("robot").address()), message);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                InstrumentStatus status = robot.status();
                assertEquals(InstrumentStatus.State.OFFLINE, status.state());
                assertEquals(
                    Optional.of(InstrumentStatus.ReasonKind.COMMUNICATION), status.reasonKind());
                assertTrue(status.reason().contains("No such robot"), status.reason());
              });
    }
  }
}
