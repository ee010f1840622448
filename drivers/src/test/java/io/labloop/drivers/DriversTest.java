package io.labloop.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.settings.SettingsProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriversTest {

  @Test
  void theBuiltInDriversAreFoundThroughTheServiceLoader() {
    try (Drivers drivers = Drivers.standard()) {
      assertEquals(Set.of("opcua", "lads", "serial", "mqtt", "sila2"), drivers.types());
    }
  }

  @Test
  void anUnknownDriverIsOneProblemNamingTheKnownOnes() {
    try (Drivers drivers = Drivers.standard()) {
      List<SettingsProblem> problems =
          drivers.check(
              new InstrumentSpec("balance", "modbus", Map.of("driver", "modbus"), Path.of("d")));
      assertEquals(1, problems.size());
      assertEquals(List.of("driver"), problems.get(0).path());
      assertTrue(
          problems.get(0).message().contains("unknown driver 'modbus'"), problems.get(0).message());
    }
  }

  @Test
  void creatingFromABadSectionSaysWhatIsWrong() {
    try (Drivers drivers = Drivers.standard()) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  drivers.create(
                      new InstrumentSpec(
                          "uvvis",
                          "serial",
                          Map.of("driver", "serial", "commands", Map.of()),
                          Path.of("d"))));
      assertTrue(
          e.getMessage().contains("instrument 'uvvis'")
              && e.getMessage().contains("missing 'port'"),
          e.getMessage());
    }
  }
}
