package io.labloop.orchestrator.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.config.Limit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a reload reports as changed, instrument by instrument. */
class DaemonTest {

  @Test
  void reloadNamesEachInstrumentThatChangedAndHow() {
    LabConfig before =
        lab(
            instrument("robot", "opc.tcp://a:4840", 250),
            instrument("spectrometer", "/dev/ttyUSB0", 0));
    LabConfig after =
        lab(instrument("robot", "opc.tcp://a:4840", 200), instrument("xrd", "tcp://b:1883", 0));
    assertEquals(
        List.of("robot: limits changed", "xrd: added", "spectrometer: removed"),
        Daemon.differences(before, after));
    assertEquals(List.of(), Daemon.differences(before, before));
    LabConfig moved =
        lab(
            instrument("robot", "opc.tcp://c:4840", 250),
            instrument("spectrometer", "/dev/ttyUSB0", 0));
    assertEquals(List.of("robot: settings changed"), Daemon.differences(before, moved));
  }

  private static InstrumentConfig instrument(String name, String address, double maxTemperature) {
    Map<String, Limit> limits =
        maxTemperature > 0
            ? Map.of(
                "temperature",
                new Limit("temperature", OptionalDouble.of(20), OptionalDouble.of(maxTemperature)))
            : Map.of();
    return new InstrumentConfig(
        name,
        "test",
        new InstrumentSpec(name, "test", Map.of("address", address), Path.of(".")),
        Map.of("go", new CommandConfig("go", Duration.ofSeconds(1), true, List.of(), Map.of())),
        limits,
        1,
        Optional.empty());
  }

  private static LabConfig lab(InstrumentConfig... instruments) {
    Map<String, InstrumentConfig> byName = new java.util.LinkedHashMap<>();
    for (InstrumentConfig i : instruments) byName.put(i.name(), i);
    return new LabConfig(Path.of("lab.yaml"), "lab", byName, Optional.empty(), Map.of());
  }
}
