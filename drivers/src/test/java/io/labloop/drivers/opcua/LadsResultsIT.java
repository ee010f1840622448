package io.labloop.drivers.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LADS driver on a device whose ResultSet already holds hundreds of results, as one used for
 * weeks does: finding a run's result costs the same number of requests as on an empty device (no
 * browse of the ResultSet and no read of stored results per poll), counted by the driver rather
 * than timed.
 */
class LadsResultsIT {

  private static final int STORED = 200;

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
            Map.of(
                "measure",
                Map.of(
                    "program",
                    "UVVisScan",
                    "properties",
                    Map.of("sampleId", "{sampleId}"),
                    "outputs",
                    List.of("peak", "fwhm"),
                    "timeout",
                    "5s"))));
    Map<String, Object> simulation = new LinkedHashMap<>();
    simulation.put("seed", 3);
    simulation.put("time-scale", 0);
    simulation.put("world", Map.of("model", "silver-nanoparticles"));
    simulation.put(
        "instruments",
        Map.of(
            "robot",
            Map.of("role", "synthesizer", "duration", 0),
            "spectrometer",
            Map.of("role", "measurer", "measures", List.of("peak", "fwhm"), "duration", "0")));
    Map<String, Object> lab = new LinkedHashMap<>();
    lab.put("lab", "lads-results-it");
    lab.put("instruments", instruments);
    lab.put("simulation", simulation);
    return lab;
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;

  @SuppressWarnings("unchecked")
  private InstrumentSpec spec(VirtualLab lab, String name) {
    Map<String, Object> section =
        (Map<String, Object>) ((Map<String, Object>) lab.labTree().get("instruments")).get(name);
    return new InstrumentSpec(name, String.valueOf(section.get("driver")), section, data);
  }

  /** The driver itself, on a connection of its own, so that its counts can be read. */
  private LadsInstrument spectrometer(VirtualLab lab, Bridges bridges) throws Exception {
    LadsInstrument i =
        (LadsInstrument) new LadsDriverFactory().create(spec(lab, "spectrometer"), bridges);
    i.connect().get(60, TimeUnit.SECONDS);
    return i;
  }

  /** A run the device refuses (no such sample) still leaves a result: a cheap way to store one. */
  private static void refused(LadsInstrument spectrometer) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () ->
                spectrometer
                    .execute(new Command("measure", Map.of("sampleId", "NO-SUCH-SAMPLE")))
                    .get(60, TimeUnit.SECONDS));
    assertInstanceOf(InstrumentError.Refused.class, e.getCause());
  }

  @Test
  void aRunOnADeviceHoldingHundredsOfResultsReadsNoneOfThem(VirtualLab lab) throws Exception {
    try (Bridges bridges = new Bridges()) {
      LadsInstrument first = spectrometer(lab, bridges);
      try {
        refused(first);
        LadsResults.Counts learned = first.resultCounts();
        for (int i = 1; i < STORED; i++) refused(first);
        LadsResults.Counts after = first.resultCounts();
        // once a result was found under its run id, later runs only look their own one up
        assertEquals(learned.resultSetBrowses(), after.resultSetBrowses(), after.toString());
        assertEquals(learned.resultsExamined(), after.resultsExamined(), after.toString());
        assertTrue(after.directLookups() >= STORED, after.toString());
      } finally {
        first.close();
      }
    }
    try (Drivers drivers = Drivers.standard();
        Bridges bridges = new Bridges()) {
      Instrument robot = drivers.create(spec(lab, "robot"));
      Object sampleId =
          robot
              .execute(
                  new Command(
                      "synthesize",
                      Map.of(
                          "temperature",
                          120.0,
                          "time",
                          10.0,
                          "concentration",
                          1.0,
                          "solvent",
                          "water")))
              .get(60, TimeUnit.SECONDS)
              .outputs()
              .get("sampleId");
      robot.close();
      // a new connection knows nothing of the device: its first run learns the naming from one
      // stored result (one browse of the ResultSet, one result read), not from all of them
      LadsInstrument second = spectrometer(lab, bridges);
      try {
        Command measure = new Command("measure", Map.of("sampleId", sampleId));
        Reply reply = second.execute(measure).get(60, TimeUnit.SECONDS);
        assertInstanceOf(Double.class, reply.outputs().get("peak"));
        assertEquals("UVVis-Spectrometer-" + (STORED + 1), reply.outputs().get("runId"));
        assertEquals(1, reply.attachments().size());
        LadsResults.Counts c = second.resultCounts();
        assertEquals(1, c.resultSetBrowses(), c.toString());
        assertEquals(1, c.resultsExamined(), c.toString());
        second.execute(measure).get(60, TimeUnit.SECONDS);
        LadsResults.Counts next = second.resultCounts();
        assertEquals(1, next.resultSetBrowses(), next.toString());
        assertEquals(1, next.resultsExamined(), next.toString());
      } finally {
        second.close();
      }
    }
  }
}
