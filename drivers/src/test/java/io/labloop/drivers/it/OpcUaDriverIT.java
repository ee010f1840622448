package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The OPC UA driver against the virtual lab's Milo server: two instruments on one server. */
class OpcUaDriverIT {

  private static Map<String, Object> tree() {
    Map<String, Object> robotCommands = new LinkedHashMap<>();
    robotCommands.put(
        "synthesize",
        Map.of(
            "method",
            Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Synthesize"),
            "inputs",
            List.of("temperature", "time", "concentration", "solvent"),
            "outputs",
            List.of("sampleId"),
            "timeout",
            "5s"));
    robotCommands.put(
        "waitIdle",
        Map.of(
            "until",
            Map.of("node", "ns=2;s=Robot.State", "equals", "Idle"),
            "outputs",
            List.of(Map.of("name", "temperature", "node", "ns=2;s=Robot.Temperature")),
            "timeout",
            "5s"));
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        Map.of(
            "driver",
            "opcua",
            "endpoint",
            "opc.tcp://127.0.0.1:4840/labloop",
            "variables",
            Map.of("State", "ns=2;s=Robot.State", "Door", "ns=2;s=Robot.Door"),
            "commands",
            robotCommands));
    instruments.put(
        "meter",
        Map.of(
            "driver",
            "opcua",
            "endpoint",
            "opc.tcp://127.0.0.1:4840/labloop",
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "method",
                    Map.of("object", "ns=2;s=Meter", "method", "ns=2;s=Meter.Measure"),
                    "inputs",
                    List.of("sampleId"),
                    "outputs",
                    List.of("peak"),
                    "timeout",
                    "1s"))));
    return Labs.lab(
        instruments,
        Map.of("robot", Labs.synthesizer(), "meter", Labs.measurer(List.of("peak"), "0")),
        0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;
  private Instrument robot;
  private Instrument meter;
  private String sampleId;

  @BeforeEach
  void connect(VirtualLab lab) throws Exception {
    lab.faults("meter").clear();
    lab.setVariable("robot", "State", "Idle");
    drivers = Drivers.standard();
    robot = Labs.create(drivers, lab, "robot", data);
    meter = Labs.create(drivers, lab, "meter", data);
    meter.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
    sampleId =
        String.valueOf(
            ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId"));
  }

  @AfterEach
  void close() {
    robot.close();
    meter.close();
    drivers.close();
  }

  private Command measure() {
    return new Command("measure", Map.of("sampleId", sampleId));
  }

  @Test
  void aMethodCallMapsArgumentsInOrderAndNamesTheOutputs(VirtualLab lab) throws Exception {
    assertTrue(sampleId.length() > 0 && !sampleId.equals("null"), sampleId);
    Reply reply = ok(meter.execute(measure()));
    assertInstanceOf(Double.class, reply.outputs().get("peak"));
    assertEquals(
        Map.of("temperature", 120.0, "time", 10.0, "concentration", 1.0, "solvent", "water"),
        lab.journal("robot").get(lab.journal("robot").size() - 1).arguments());
  }

  @Test
  void aWaitEndsWhenTheVariableReachesTheValue(VirtualLab lab) throws Exception {
    lab.setVariable("robot", "State", "Busy");
    CompletableFuture<Reply> waiting = robot.execute(Command.of("waitIdle"));
    // Still waiting while the robot is busy (the subscription delivers Busy first).
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !waiting.isDone());
    lab.setVariable("robot", "State", "Idle");
    Reply reply = ok(waiting);
    assertInstanceOf(Double.class, reply.outputs().get("temperature"));
  }

  @Test
  void readsProcessVariables(VirtualLab lab) throws Exception {
    lab.setVariable("robot", "State", "Busy");
    assertEquals("Busy", robot.read("State").get(10, TimeUnit.SECONDS));
    fails(robot.read("Pressure"), InstrumentError.Refused.class);
  }

  @Test
  void instrumentsOnOneServerKeepTheirOwnStatus(VirtualLab lab) throws Exception {
    robot.connect().get(10, TimeUnit.SECONDS);
    lab.faults("meter").next(Fault.REFUSE);
    InstrumentError refused = fails(meter.execute(measure()), InstrumentError.Refused.class);
    assertEquals(refused.getMessage(), meter.status().lastError());
    assertEquals("", robot.status().lastError());
    assertEquals(InstrumentStatus.State.ONLINE, robot.status().state());
  }

  @Test
  void aBadStatusIsARefusalNamingTheStatusAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    InstrumentError e =
        fails(
            meter.execute(new Command("measure", Map.of("sampleId", "NO-SUCH"))),
            InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("Bad_NotFound"), e.getMessage());
    lab.faults("meter").next(Fault.REFUSE);
    e = fails(meter.execute(measure()), InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("Bad_InvalidState"), e.getMessage());
    ok(meter.execute(measure()));
  }

  @Test
  void aServerThatDoesNotAnswerIsATimeoutAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("meter").next(Fault.TIMEOUT);
    InstrumentError e = fails(meter.execute(measure()), InstrumentError.Timeout.class);
    assertEquals("meter.measure: no complete reply within 1s", e.getMessage());
    ok(meter.execute(measure()));
  }

  @Test
  void outputsOfTheWrongKindAreABadReplyAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("meter").next(Fault.GARBAGE);
    InstrumentError e = fails(meter.execute(measure()), InstrumentError.BadReply.class);
    assertTrue(e.getMessage().contains("output 'peak' is a ByteString"), e.getMessage());
    ok(meter.execute(measure()));
  }

  @Test
  void aDroppedSessionIsADisconnectAndTheSessionComesBack(VirtualLab lab) throws Exception {
    for (Fault drop : List.of(Fault.DISCONNECT, Fault.RESTART)) {
      lab.faults("meter").next(drop);
      InstrumentError e = fails(meter.execute(measure()), InstrumentError.Disconnected.class);
      assertTrue(e.getMessage().contains("Bad_SessionClosed"), e.getMessage());
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> meter.status().state() == InstrumentStatus.State.ONLINE);
      ok(meter.execute(measure()));
      // The wait works again after the session was re-created (its subscription is made per wait).
      ok(robot.execute(Command.of("waitIdle")));
    }
    assertFalse(meter.status().lastError().isEmpty());
  }
}
