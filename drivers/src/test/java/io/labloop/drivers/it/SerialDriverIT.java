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

/** The serial driver against the virtual lab's pseudo-terminal devices. */
class SerialDriverIT {

  private static Map<String, Object> tree() {
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        Map.of(
            "driver",
            "serial",
            "port",
            "robot-port",
            "commands",
            Map.of(
                "synthesize",
                Map.of(
                    "send",
                    "SYNTH {temperature} {time} {concentration} {solvent}",
                    "expect",
                    "^OK sampleId=(?<sampleId>\\S+)$",
                    "error",
                    "^ERR (?<message>.*)$",
                    "outputs",
                    List.of("sampleId"),
                    "timeout",
                    "5s"))));
    Map<String, Object> uvvisCommands = new LinkedHashMap<>();
    uvvisCommands.put(
        "measure",
        Map.of(
            "send",
            "MEAS {sampleId}",
            "expect",
            "^OK peak=(?<peak>[-0-9.]+) fwhm=(?<fwhm>[-0-9.]+)$",
            "error",
            "^ERR (?<message>.*)$",
            "outputs",
            List.of("peak", "fwhm"),
            "timeout",
            "1s"));
    // The same reading, declared safe to repeat: a lost reply is asked for again.
    uvvisCommands.put(
        "read",
        Map.of(
            "send",
            "READ {sampleId}",
            "expect",
            "^OK peak=(?<peak>[-0-9.]+) fwhm=(?<fwhm>[-0-9.]+)$",
            "error",
            "^ERR (?<message>.*)$",
            "outputs",
            List.of("peak", "fwhm"),
            "timeout",
            "1s",
            "idempotent",
            true));
    instruments.put(
        "uvvis",
        Map.of(
            "driver", "serial", "port", "uvvis-port", "baud", 115200, "commands", uvvisCommands));
    return Labs.lab(
        instruments,
        Map.of("robot", Labs.synthesizer(), "uvvis", Labs.measurer(List.of("peak", "fwhm"), "0")),
        0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;
  private Instrument robot;
  private Instrument uvvis;
  private String sampleId;

  @BeforeEach
  void connect(VirtualLab lab) throws Exception {
    lab.faults("uvvis").clear();
    drivers = Drivers.standard();
    robot = Labs.create(drivers, lab, "robot", data);
    uvvis = Labs.create(drivers, lab, "uvvis", data);
    uvvis.connect().get(10, TimeUnit.SECONDS);
    sampleId =
        String.valueOf(
            ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId"));
  }

  @AfterEach
  void close() {
    robot.close();
    uvvis.close();
    drivers.close();
  }

  private Command measure() {
    return new Command("measure", Map.of("sampleId", sampleId));
  }

  @Test
  void aCommandReturnsTheNamedGroupsAsNumbers() throws Exception {
    Reply reply = ok(uvvis.execute(measure()));
    assertInstanceOf(Double.class, reply.outputs().get("peak"));
    assertTrue((Double) reply.outputs().get("peak") > 300, reply.outputs().toString());
    assertEquals(InstrumentStatus.State.ONLINE, uvvis.status().state());
  }

  @Test
  void anErrorLineIsARefusalAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    InstrumentError e =
        fails(
            uvvis.execute(new Command("measure", Map.of("sampleId", "NO-SUCH-SAMPLE"))),
            InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("unknown sample"), e.getMessage());
    lab.faults("uvvis").next(Fault.REFUSE);
    fails(uvvis.execute(measure()), InstrumentError.Refused.class);
    ok(uvvis.execute(measure()));
  }

  @Test
  void silenceIsATimeoutAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("uvvis").next(Fault.TIMEOUT);
    InstrumentError e = fails(uvvis.execute(measure()), InstrumentError.Timeout.class);
    assertEquals("uvvis.measure: no complete reply within 1s", e.getMessage());
    ok(uvvis.execute(measure()));
  }

  @Test
  void anIdempotentCommandIsSentAgainAfterATimeoutAndAnOtherIsNot(VirtualLab lab) throws Exception {
    long reads = lab.received("uvvis", "read");
    lab.faults("uvvis").next(Fault.TIMEOUT);
    Reply reply = ok(uvvis.execute(new Command("read", Map.of("sampleId", sampleId))));
    assertInstanceOf(Double.class, reply.outputs().get("peak"));
    assertEquals(reads + 2, lab.received("uvvis", "read"));

    long measures = lab.received("uvvis", "measure");
    lab.faults("uvvis").next(Fault.TIMEOUT);
    fails(uvvis.execute(measure()), InstrumentError.Timeout.class);
    assertEquals(measures + 1, lab.received("uvvis", "measure"));
  }

  @Test
  void garbageIsABadReplyAndTheNextCommandWorks(VirtualLab lab) throws Exception {
    lab.faults("uvvis").next(Fault.GARBAGE);
    InstrumentError e = fails(uvvis.execute(measure()), InstrumentError.BadReply.class);
    assertTrue(e.getMessage().contains("does not match expect"), e.getMessage());
    ok(uvvis.execute(measure()));
  }

  @Test
  void aDeviceThatVanishesAndComesBackIsReopened(VirtualLab lab) throws Exception {
    for (Fault vanish : List.of(Fault.DISCONNECT, Fault.RESTART)) {
      lab.faults("uvvis").next(vanish);
      InstrumentError e = fails(uvvis.execute(measure()), InstrumentError.Disconnected.class);
      assertTrue(e.getMessage().contains("the device went away"), e.getMessage());
      // The adapter is back a moment later, behind the same path; the driver opens it again by
      // itself.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> uvvis.execute(measure()).handle((r, x) -> x == null).get());
      assertEquals(InstrumentStatus.State.ONLINE, uvvis.status().state());
    }
  }

  @Test
  void thePortIsHeldExclusively(VirtualLab lab) throws Exception {
    Instrument second = Labs.create(drivers, lab, "uvvis", data);
    try {
      InstrumentError e = fails(second.connect(), InstrumentError.Disconnected.class);
      assertTrue(e.getMessage().contains("cannot open serial port"), e.getMessage());
      ok(uvvis.execute(measure()));
    } finally {
      second.close();
    }
  }
}
