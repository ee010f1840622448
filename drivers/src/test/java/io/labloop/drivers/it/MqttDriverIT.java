package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT 5 driver against the virtual lab's devices on its embedded broker. */
class MqttDriverIT {

  private static Map<String, Object> tree() {
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        Map.of(
            "driver",
            "mqtt",
            "broker",
            "tcp://127.0.0.1:1883",
            "commands",
            Map.of(
                "synthesize",
                Map.of(
                    "request",
                    "lab/robot/synthesize",
                    "payload",
                    Map.of(
                        "conditions",
                        Map.of(
                            "temperature",
                            "{temperature}",
                            "time",
                            "{time}",
                            "concentration",
                            "{concentration}",
                            "solvent",
                            "{solvent}")),
                    "outputs",
                    List.of("sampleId"),
                    "timeout",
                    "5s"))));
    instruments.put(
        "xrd",
        Map.of(
            "driver",
            "mqtt",
            "broker",
            "tcp://127.0.0.1:1883",
            "commands",
            Map.of(
                "scan",
                Map.of(
                    "request",
                    "lab/xrd/scan",
                    "payload",
                    Map.of("sample", "{sampleId}"),
                    "outputs",
                    List.of("crystallinity"),
                    "timeout",
                    "1s"))));
    // A slow instrument (1 s per scan) whose replies come after a 300 ms timeout: late replies.
    instruments.put(
        "dls",
        Map.of(
            "driver",
            "mqtt",
            "broker",
            "tcp://127.0.0.1:1883",
            "commands",
            Map.of(
                "size",
                Map.of(
                    "request",
                    "lab/dls/size",
                    "payload",
                    Map.of("sample", "{sampleId}"),
                    "outputs",
                    List.of(Map.of("name", "diameter", "path", "result.diameter")),
                    "timeout",
                    "300ms"))));
    Map<String, Object> simulated = new LinkedHashMap<>();
    simulated.put("robot", Labs.synthesizer());
    simulated.put("xrd", Labs.measurer(List.of("crystallinity"), "0"));
    simulated.put("dls", Labs.measurer(List.of("diameter"), "1s"));
    return Labs.lab(instruments, simulated, 1);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;
  private Instrument robot;
  private Instrument xrd;
  private String sampleId;

  @BeforeEach
  void connect(VirtualLab lab) throws Exception {
    lab.faults("xrd").clear();
    drivers = Drivers.standard();
    robot = Labs.create(drivers, lab, "robot", data);
    xrd = Labs.create(drivers, lab, "xrd", data);
    xrd.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
    sampleId =
        String.valueOf(
            ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId"));
  }

  @AfterEach
  void close() {
    robot.close();
    xrd.close();
    drivers.close();
  }

  private Command scan() {
    return new Command("scan", Map.of("sampleId", sampleId));
  }

  @Test
  void aRequestGetsItsReplyByCorrelationWithOutputsByField(VirtualLab lab) throws Exception {
    Reply reply = ok(xrd.execute(scan()));
    assertInstanceOf(Double.class, reply.outputs().get("crystallinity"));
    // The payload template put each argument in its field, with its type.
    var received = lab.journal("robot").get(lab.journal("robot").size() - 1).arguments();
    assertEquals(120.0, ((Number) received.get("temperature")).doubleValue());
    assertEquals("water", received.get("solvent"));
    // Memory persistence: Paho's default would have left a "<client id>-tcp..." folder in the
    // working directory.
    try (var files = java.nio.file.Files.list(Path.of(System.getProperty("user.dir")))) {
      assertEquals(
          List.of(),
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.startsWith("labloop-") && n.contains("tcp"))
              .toList());
    }
  }

  @Test
  void anErrorFieldIsARefusalOfThatInstrumentOnly(VirtualLab lab) throws Exception {
    lab.faults("xrd").next(Fault.REFUSE);
    InstrumentError e = fails(xrd.execute(scan()), InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("not allowed now"), e.getMessage());
    assertEquals(e.getMessage(), xrd.status().lastError());
    assertEquals("", robot.status().lastError());
    ok(xrd.execute(scan()));
  }

  @Test
  void noReplyIsATimeoutAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("xrd").next(Fault.TIMEOUT);
    assertInstanceOf(
        InstrumentError.Timeout.class, fails(xrd.execute(scan()), InstrumentError.Timeout.class));
    ok(xrd.execute(scan()));
  }

  @Test
  void aReplyThatIsNotJsonIsABadReplyAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("xrd").next(Fault.GARBAGE);
    InstrumentError e = fails(xrd.execute(scan()), InstrumentError.BadReply.class);
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    ok(xrd.execute(scan()));
  }

  @Test
  void aDeviceThatDropsOffTheBrokerTimesOutAndIsUsableWhenBack(VirtualLab lab) throws Exception {
    for (Fault drop : List.of(Fault.DISCONNECT, Fault.RESTART)) {
      lab.faults("xrd").next(drop);
      // Through a broker the driver cannot see the device go: the request is simply not answered.
      fails(xrd.execute(scan()), InstrumentError.Timeout.class);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> xrd.execute(scan()).handle((r, x) -> x == null).get());
      assertEquals(InstrumentStatus.State.ONLINE, xrd.status().state());
    }
  }

  @Test
  void aReplyToARequestThatTimedOutIsDroppedAndLogged(VirtualLab lab) throws Exception {
    Instrument dls = Labs.create(drivers, lab, "dls", data);
    try (LogCapture log = new LogCapture("io.labloop.drivers.mqtt.MqttBridge")) {
      Command size = new Command("size", Map.of("sampleId", sampleId));
      fails(dls.execute(size), InstrumentError.Timeout.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  log.messages().stream()
                      .anyMatch(m -> m.contains("dropped a message on") && m.contains("diameter")));
      // The late reply did not complete anything; the client stays usable.
      ok(xrd.execute(scan()));
    } finally {
      dls.close();
    }
  }
}
