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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SiLA 2 driver against the virtual lab playing a synthesis robot and a spectrometer as SiLA 2
 * servers (gRPC over TLS, a self-signed certificate each): the driver learns the features from the
 * servers' Feature Definitions, runs observable and unobservable commands, reads and waits on
 * observable properties, trusts a server certificate only when told to, and meets each fault kind
 * the other drivers are tested with.
 */
class Sila2DriverIT {

  private static Map<String, Object> tree() {
    Map<String, Object> robotCommands = new LinkedHashMap<>();
    robotCommands.put(
        "synthesize",
        Map.of(
            "command",
            "Synthesize",
            "parameters",
            Map.of(
                "Temperature", "{temperature}",
                "Time", "{time}",
                "Concentration", "{concentration}",
                "Solvent", "{solvent}"),
            "responses",
            Map.of("sampleId", "SampleId"),
            "outputs",
            List.of("sampleId"),
            "timeout",
            "3s"));
    // default names: parameters Temperature.. take temperature..; response SampleId is sampleId
    robotCommands.put(
        "quick-synthesize",
        Map.of("observable", false, "outputs", List.of("sampleId"), "timeout", "3s"));
    robotCommands.put(
        "door-closed",
        Map.of("until", Map.of("property", "Door", "equals", "Closed"), "timeout", "5s"));
    robotCommands.put("abort", Map.of("command", "Abort", "timeout", "2s", "idempotent", true));
    Map<String, Object> instruments = new LinkedHashMap<>();
    Map<String, Object> robot = new LinkedHashMap<>();
    robot.put("driver", "sila2");
    robot.put("server", "127.0.0.1:0");
    robot.put("feature", "org.labloop/virtuallab/SynthesisRobot/v1");
    robot.put("variables", Map.of("state", "State", "temperature", "Temperature"));
    robot.put("commands", robotCommands);
    instruments.put("robot", robot);
    instruments.put(
        "spectrometer",
        Map.of(
            "driver",
            "sila2",
            "server",
            "127.0.0.1:0",
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "parameters",
                    Map.of("SampleId", "{sampleId}"),
                    "outputs",
                    List.of("peak", "fwhm"),
                    "timeout",
                    "5s"))));
    return Labs.lab(
        instruments,
        Map.of(
            "robot",
            Labs.synthesizer(),
            "spectrometer",
            Labs.measurer(List.of("peak", "fwhm"), "0")),
        0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;
  private Instrument robot;

  @BeforeEach
  void connect(VirtualLab lab) throws Exception {
    lab.faults("robot").clear();
    drivers = Drivers.standard();
    robot = Labs.create(drivers, "robot", trusting(lab, "robot", Map.of()), data);
    robot.connect().get(30, TimeUnit.SECONDS);
  }

  /** The section with the virtual server's certificate trusted ({@code tls.certificate}). */
  private static Map<String, Object> trusting(
      VirtualLab lab, String name, Map<String, Object> changes) {
    Map<String, Object> s = new LinkedHashMap<>(Labs.section(lab, name, changes));
    s.put("tls", Map.of("certificate", lab.endpoint(name).details().get("certificate")));
    return s;
  }

  @AfterEach
  void close() {
    robot.close();
    drivers.close();
  }

  @Test
  void anObservableCommandIsFollowedToItsResult(VirtualLab lab) throws Exception {
    try (LogCapture log = new LogCapture("io.labloop.drivers.sila2.Sila2Instrument")) {
      ((ch.qos.logback.classic.Logger)
              org.slf4j.LoggerFactory.getLogger("io.labloop.drivers.sila2"))
          .setLevel(ch.qos.logback.classic.Level.DEBUG);
      Reply reply = ok(robot.execute(new Command("synthesize", SYNTH_ARGS)));
      String sample = String.valueOf(reply.outputs().get("sampleId"));
      assertTrue(lab.world().sample(sample).isPresent(), sample);
      assertEquals(
          SYNTH_ARGS, lab.journal("robot").get(lab.journal("robot").size() - 1).arguments());
      // the execution info stream was followed to the end
      assertTrue(
          log.messages().stream().anyMatch(m -> m.contains("synthesize: finishedSuccessfully 1.0")),
          log.messages().toString());
    }
  }

  @Test
  void anUnobservableCommandTakesItsNamesFromTheFeatureDefinition(VirtualLab lab) throws Exception {
    Reply reply = ok(robot.execute(new Command("quick-synthesize", SYNTH_ARGS)));
    assertTrue(lab.world().sample(String.valueOf(reply.outputs().get("sampleId"))).isPresent());
  }

  @Test
  void aMeasurementOnASecondServer(VirtualLab lab) throws Exception {
    String sample =
        String.valueOf(
            ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId"));
    Instrument spectrometer =
        Labs.create(drivers, "spectrometer", trusting(lab, "spectrometer", Map.of()), data);
    try {
      Reply reply = ok(spectrometer.execute(new Command("measure", Map.of("sampleId", sample))));
      assertInstanceOf(Double.class, reply.outputs().get("peak"));
      assertInstanceOf(Double.class, reply.outputs().get("fwhm"));
    } finally {
      spectrometer.close();
    }
  }

  @Test
  void readsPropertiesAndWaitsOnOne(VirtualLab lab) throws Exception {
    assertEquals("Idle", robot.read("state").get(10, TimeUnit.SECONDS));
    assertInstanceOf(Double.class, robot.read("temperature").get(10, TimeUnit.SECONDS));
    fails(robot.read("pressure"), InstrumentError.Refused.class);

    lab.setVariable("robot", "Door", "Open");
    CompletableFuture<Reply> closed = robot.execute(Command.of("door-closed"));
    Thread.sleep(300);
    assertFalse(closed.isDone(), "the wait ended while the door was open");
    lab.setVariable("robot", "Door", "Closed");
    ok(closed);
  }

  @Test
  void anUntrustedServerIsRefusedUntilItsCertificateIsMovedIntoTrust(VirtualLab lab)
      throws Exception {
    Instrument other = Labs.create(drivers, "other", Labs.section(lab, "robot", Map.of()), data);
    try {
      InstrumentError e = fails(other.connect(), InstrumentError.Disconnected.class);
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE),
          other.status().reasonKind(),
          other.status().toString());
      Matcher m =
          Pattern.compile("move (\\S+) into (\\S+) and connect again").matcher(e.getMessage());
      assertTrue(m.find(), e.getMessage());
      Path rejected = Path.of(m.group(1));
      Path trusted = Path.of(m.group(2));
      assertTrue(Files.exists(rejected), rejected.toString());
      Files.move(rejected, trusted.resolve(rejected.getFileName()));
      other.connect().get(20, TimeUnit.SECONDS);
      ok(other.execute(new Command("synthesize", SYNTH_ARGS)));
    } finally {
      other.close();
    }
  }

  @Test
  void aCommandTheServerDoesNotHaveIsNamedWhenConnecting(VirtualLab lab) throws Exception {
    Instrument other =
        Labs.create(
            drivers,
            "other",
            trusting(
                lab,
                "robot",
                Map.of("commands", Map.of("fly", Map.of("command", "Fly", "timeout", "2s")))),
            data);
    try {
      InstrumentError e = fails(other.connect(), InstrumentError.Refused.class);
      assertTrue(e.getMessage().contains("the server has no command Fly"), e.getMessage());
    } finally {
      other.close();
    }
  }

  @Test
  void aRefusalIsTheServersDefinedExecutionError(VirtualLab lab) throws Exception {
    lab.faults("robot").next(Fault.REFUSE);
    InstrumentError e =
        fails(robot.execute(new Command("synthesize", SYNTH_ARGS)), InstrumentError.Refused.class);
    assertTrue(
        e.getMessage().contains("Refused: refused: synthesize is not allowed now"), e.getMessage());
    ok(robot.execute(new Command("synthesize", SYNTH_ARGS)));
  }

  @Test
  void garbageIsABadReply(VirtualLab lab) throws Exception {
    lab.faults("robot").next(Fault.GARBAGE);
    InstrumentError e =
        fails(
            robot.execute(new Command("quick-synthesize", SYNTH_ARGS)),
            InstrumentError.BadReply.class);
    assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
    lab.faults("robot").next(Fault.GARBAGE);
    fails(robot.execute(new Command("synthesize", SYNTH_ARGS)), InstrumentError.BadReply.class);
    ok(robot.execute(new Command("synthesize", SYNTH_ARGS)));
  }

  @Test
  void aCommandThatNeverFinishesIsATimeoutAndAbortFreesTheRobot(VirtualLab lab) throws Exception {
    lab.faults("robot").next(Fault.TIMEOUT);
    fails(robot.execute(new Command("synthesize", SYNTH_ARGS)), InstrumentError.Timeout.class);
    ok(robot.execute(Command.of("abort")));
    ok(robot.execute(new Command("synthesize", SYNTH_ARGS)));
  }

  @Test
  void aDroppedConnectionIsADisconnectionAndTheDriverReconnects(VirtualLab lab) throws Exception {
    for (Fault fault : List.of(Fault.DISCONNECT, Fault.RESTART)) {
      lab.faults("robot").next(fault);
      fails(
          robot.execute(new Command("synthesize", SYNTH_ARGS)), InstrumentError.Disconnected.class);
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () ->
                  robot
                      .execute(new Command("quick-synthesize", SYNTH_ARGS))
                      .get(10, TimeUnit.SECONDS)
                      .outputs()
                      .containsKey("sampleId"));
    }
  }
}
