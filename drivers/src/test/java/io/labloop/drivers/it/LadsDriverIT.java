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
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.charset.StandardCharsets;
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

/**
 * The LADS driver against the virtual lab playing a spectrometer as a LADS device (its own OPC UA
 * server): the driver browses DeviceSet for the device and its functional unit, starts a program
 * with properties, waits for the result and reads its variables and its Allotrope file; faults of
 * each kind the OPC UA driver is tested with.
 */
class LadsDriverIT {

  private static Map<String, Object> tree() {
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        Map.of(
            "driver",
            "opcua",
            "endpoint",
            "opc.tcp://127.0.0.1:4840/labloop",
            "commands",
            Map.of(
                "synthesize",
                Map.of(
                    "method",
                    Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Synthesize"),
                    "inputs",
                    List.of("temperature", "time", "concentration", "solvent"),
                    "outputs",
                    List.of("sampleId"),
                    "timeout",
                    "5s"))));
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put(
        "measure",
        Map.of(
            "program",
            "UVVisScan",
            "properties",
            Map.of("sampleId", "{sampleId}"),
            "outputs",
            List.of("peak", "fwhm"),
            "timeout",
            "5s"));
    commands.put("abort", Map.of("method", "Abort", "timeout", "2s", "idempotent", true));
    instruments.put(
        "spectrometer",
        Map.of(
            "driver",
            "lads",
            "endpoint",
            "opc.tcp://127.0.0.1:4841/lads",
            "device",
            "UVVis",
            "functional-unit",
            "Spectrometer",
            "poll",
            "20ms",
            "commands",
            commands));
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
  private Instrument spectrometer;
  private String sampleId;

  @BeforeEach
  void connect(VirtualLab lab) throws Exception {
    lab.faults("spectrometer").clear();
    drivers = Drivers.standard();
    robot = Labs.create(drivers, lab, "robot", data);
    spectrometer = Labs.create(drivers, lab, "spectrometer", data);
    spectrometer.connect().get(60, TimeUnit.SECONDS);
    sampleId =
        String.valueOf(
            ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId"));
  }

  @AfterEach
  void close() {
    robot.close();
    spectrometer.close();
    drivers.close();
  }

  private Command measure() {
    return new Command("measure", Map.of("sampleId", sampleId));
  }

  @Test
  void aProgramRunsWithItsPropertiesAndItsResultComesBackWithTheAllotropeFile(VirtualLab lab)
      throws Exception {
    Reply reply = ok(spectrometer.execute(measure()));
    assertInstanceOf(Double.class, reply.outputs().get("peak"));
    assertInstanceOf(Double.class, reply.outputs().get("fwhm"));
    assertTrue(
        String.valueOf(reply.outputs().get("runId")).startsWith("UVVis-Spectrometer-"),
        reply.outputs().toString());
    // the property reached the device as the sample it measured
    assertEquals(
        Map.of("sampleId", sampleId),
        lab.journal("spectrometer").get(lab.journal("spectrometer").size() - 1).arguments());
    assertEquals(1, reply.attachments().size());
    Reply.Attachment asm = reply.attachments().get(0);
    assertEquals("application/vnd.allotrope.asm+json", asm.mediaType());
    String doc = new String(asm.data(), StandardCharsets.UTF_8);
    assertTrue(doc.contains("\"sample identifier\":\"" + sampleId + "\""), doc);
    assertTrue(doc.contains("\"peak\":{\"value\":" + reply.outputs().get("peak")), doc);
  }

  @Test
  void readsTheStateMachineAndTheFunctions(VirtualLab lab) throws Exception {
    assertEquals("Stopped", spectrometer.read("State").get(10, TimeUnit.SECONDS));
    assertInstanceOf(Double.class, spectrometer.read("Temperature").get(10, TimeUnit.SECONDS));
    InstrumentError e = fails(spectrometer.read("Pressure"), InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("no function 'Pressure'"), e.getMessage());
  }

  @Test
  void aRefusedProgramIsARefusalWithTheDevicesReasonAndTheNextRunWorks(VirtualLab lab)
      throws Exception {
    lab.faults("spectrometer").next(Fault.REFUSE);
    InstrumentError e = fails(spectrometer.execute(measure()), InstrumentError.Refused.class);
    assertTrue(e.getMessage().contains("refused: measure is not allowed now"), e.getMessage());
    ok(spectrometer.execute(measure()));
  }

  @Test
  void anUnknownProgramTemplateIsRefusedByTheDevice() throws Exception {
    Map<String, Object> section =
        new LinkedHashMap<>(Labs.section(virtual.lab(), "spectrometer", Map.of()));
    section.put("commands", Map.of("scan", Map.of("program", "NoSuchProgram", "timeout", "2s")));
    Instrument other = Labs.create(drivers, "other", section, data);
    try {
      InstrumentError e = fails(other.execute(Command.of("scan")), InstrumentError.Refused.class);
      assertTrue(e.getMessage().contains("Bad_InvalidArgument"), e.getMessage());
    } finally {
      other.close();
    }
  }

  @Test
  void aDeviceThatIsNotThereIsNamedWithTheOnesThatAre() throws Exception {
    Instrument other =
        Labs.create(
            drivers,
            "other",
            Labs.section(virtual.lab(), "spectrometer", Map.of("device", "HPLC")),
            data);
    try {
      InstrumentError e = fails(other.connect(), InstrumentError.Refused.class);
      assertTrue(
          e.getMessage().contains("no LADS device 'HPLC' under DeviceSet; there are [UVVis]"),
          e.getMessage());
    } finally {
      other.close();
    }
  }

  @Test
  void aProgramThatNeverEndsIsATimeoutAndAbortFreesTheUnit(VirtualLab lab) throws Exception {
    lab.faults("spectrometer").next(Fault.TIMEOUT);
    fails(spectrometer.execute(measure()), InstrumentError.Timeout.class);
    assertEquals("Running", spectrometer.read("State").get(10, TimeUnit.SECONDS));
    ok(spectrometer.execute(Command.of("abort")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !"Running".equals(spectrometer.read("State").get(10, TimeUnit.SECONDS)));
    ok(spectrometer.execute(measure()));
  }

  @Test
  void aDroppedConnectionIsADisconnectionAndTheDriverReconnects(VirtualLab lab) throws Exception {
    lab.faults("spectrometer").next(Fault.DISCONNECT);
    fails(spectrometer.execute(measure()), InstrumentError.Disconnected.class);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                spectrometer
                    .execute(measure())
                    .get(10, TimeUnit.SECONDS)
                    .outputs()
                    .containsKey("peak"));
  }

  @Test
  void garbageInTheResultIsABadReply(VirtualLab lab) throws Exception {
    lab.faults("spectrometer").next(Fault.GARBAGE);
    InstrumentError e = fails(spectrometer.execute(measure()), InstrumentError.BadReply.class);
    assertTrue(e.getMessage().contains("is a ByteString"), e.getMessage());
    ok(spectrometer.execute(measure()));
  }
}
