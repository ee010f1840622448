package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import io.labloop.simulators.world.Sample;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply that comes after its command timed out, on a real pseudo-terminal: a UV-Vis that takes
 * 1.5 s per measurement, asked once with a 1 s timeout and then again at once. The second command
 * must get its own reading, never the first one's late reply.
 */
class SerialLateReplyIT {

  private static Map<String, Object> tree() {
    Map<String, Object> commands = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : Map.of("quick", "1s", "patient", "5s").entrySet()) {
      commands.put(
          c.getKey(),
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
              c.getValue()));
    }
    return Labs.lab(
        Map.of(
            "uvvis",
            Map.of("driver", "serial", "port", "uvvis-port", "baud", 115200, "commands", commands)),
        Map.of("uvvis", Labs.measurer(List.of("peak", "fwhm"), "1500ms")),
        1);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;

  @Test
  void theLateReplyOfATimedOutCommandIsDroppedNotTakenForTheNextOne(VirtualLab lab)
      throws Exception {
    Sample first =
        lab.world()
            .synthesize(
                Map.of("temperature", 60.0, "time", 5.0, "concentration", 0.2, "solvent", "water"));
    Sample second =
        lab.world()
            .synthesize(
                Map.of(
                    "temperature",
                    190.0,
                    "time",
                    30.0,
                    "concentration",
                    1.8,
                    "solvent",
                    "ethanol"));
    double firstPeak = first.truth().get("peak");
    double secondPeak = second.truth().get("peak");
    assertTrue(
        Math.abs(firstPeak - secondPeak) > 1,
        "two samples that read differently: " + firstPeak + " vs " + secondPeak);

    try (Drivers drivers = Drivers.standard();
        LogCapture log = new LogCapture("io.labloop.drivers.serial.SerialInstrument")) {
      Instrument uvvis = Labs.create(drivers, lab, "uvvis", data);
      uvvis.connect().get(10, TimeUnit.SECONDS);

      fails(
          uvvis.execute(new Command("quick", Map.of("sampleId", first.id()))),
          InstrumentError.Timeout.class);
      // At once, while the first measurement still runs: its reply comes about 0.5 s from now.
      double peak =
          (Double)
              ok(uvvis.execute(new Command("patient", Map.of("sampleId", second.id()))))
                  .outputs()
                  .get("peak");
      assertEquals(
          secondPeak,
          peak,
          1e-3,
          "the second sample's reading, not the first one's (" + firstPeak + ")");

      String firstReading = String.format(Locale.ROOT, "peak=%.4f", firstPeak);
      assertTrue(
          log.messages().stream()
              .anyMatch(
                  m ->
                      m.startsWith("uvvis: dropped 'OK ")
                          && m.contains(firstReading)
                          && m.contains(
                              "the late reply to a command that had timed out, before sending 'patient'")),
          "the first sample's late reply was dropped and logged: " + log.messages());
      uvvis.close();
    }
  }
}
