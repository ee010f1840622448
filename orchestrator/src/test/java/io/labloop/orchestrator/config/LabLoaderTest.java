package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabLoaderTest {

  private final ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();

  @Test
  void aProblemInOneInstrumentDoesNotHideAnotherInstrumentsDriverProblem() {
    String lab =
        """
        lab: multi
        instruments:
          robot:
            driver: opcua
            endpoint: opc.tcp://127.0.0.1:4840/x
            commands:
              go: { method: { object: "ns=2;s=R", method: "ns=2;s=R.Go" }, timeout: later }
          uvvis:
            driver: serial
            port: labloop-data/dev/uvvis
            baud: fast
            commands:
              measure: { send: "M", timeout: 5s }
        """;

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadLab("lab.yaml", lab, Path.of(".")));

    assertEquals(
        List.of(
            new ConfigProblem(
                "lab.yaml",
                7,
                77,
                "'timeout' is 'later' (expected a duration with a unit, e.g. 90s, 30m, 8h or 1h30m)"),
            new ConfigProblem("lab.yaml", 11, 11, "baud: expected a whole number, got 'fast'")),
        e.problems());
  }

  @Test
  void capacityDefaultsToOneAndTimeoutToFiveMinutes() {
    String lab =
        """
        lab: small
        instruments:
          uvvis:
            driver: serial
            port: labloop-data/dev/uvvis
            capacity: 2
            commands:
              measure: { send: "MEAS {sampleId}", expect: '^OK a=(?<a>[0-9]+) b=(?<b>[0-9]+)$' }
        """;

    LabConfig config = loader.loadLab("lab.yaml", lab, Path.of("."));

    CommandConfig measure = config.instrument("uvvis").commands().get("measure");
    assertEquals(java.time.Duration.ofMinutes(5), measure.timeout());
    assertEquals(List.of("a", "b"), measure.outputs());
    assertEquals(2, config.instrument("uvvis").capacity());
    assertEquals(java.util.Optional.empty(), config.simulation());
  }
}
