package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

  private final Environment env = new Environment(Map.of("LAB_HOST", "10.0.0.5", "EMPTY", ""));

  @Test
  void fillsAVariableInsideText() {
    assertEquals(
        new Environment.Filled("opc.tcp://10.0.0.5:4840", List.of()),
        env.fill("opc.tcp://${LAB_HOST}:4840"));
  }

  @Test
  void usesTheDefaultOnlyWhenTheVariableIsUnset() {
    assertEquals("1883", env.fill("${MQTT_PORT:-1883}").text());
    assertEquals("10.0.0.5", env.fill("${LAB_HOST:-localhost}").text());
    assertEquals("", env.fill("${EMPTY:-fallback}").text(), "a variable set to empty is set");
  }

  @Test
  void aMissingVariableWithoutDefaultIsAProblemNamingIt() {
    Environment.Filled filled = env.fill("${ROBOT_PASSWORD}");
    assertEquals(
        List.of(
            "environment variable ROBOT_PASSWORD is not set (expected it to be set, or a default: ${ROBOT_PASSWORD:-value})"),
        filled.problems());
  }

  @Test
  void aDoubledDollarKeepsTheReferenceLiterally() {
    assertEquals("${LAB_HOST} is 10.0.0.5", env.fill("$${LAB_HOST} is ${LAB_HOST}").text());
  }

  @Test
  void aBadNameIsAProblem() {
    assertEquals(1, env.fill("${LAB-HOST}").problems().size());
  }

  @Test
  void aPlainScalarFilledFromTheEnvironmentIsTypedAgain() {
    ConfigLoader loader = ConfigLoader.builder().environment(Map.of("BAUD", "9600")).build();
    String lab =
        """
        lab: env-lab
        instruments:
          uvvis:
            driver: serial
            port: ${PORT:-labloop-data/dev/uvvis}
            baud: ${BAUD}
            commands:
              measure: { send: "MEAS", timeout: 5s }
        """;

    LabConfig config = loader.loadLab("upload.yaml", lab, Path.of("."));

    Map<String, Object> section = config.instrument("uvvis").spec().section();
    assertEquals(9600L, section.get("baud"));
    assertEquals("labloop-data/dev/uvvis", section.get("port"));
  }

  @Test
  void aMissingVariableIsReportedAtItsScalar() {
    ConfigLoader loader = ConfigLoader.builder().environment(Map.of()).build();
    String lab =
        """
        lab: env-lab
        instruments:
          xrd:
            driver: mqtt
            broker: tcp://${BROKER_HOST}:1883
            commands:
              scan: { request: lab/xrd/scan, timeout: 2m }
        """;

    ConfigException e =
        assertThrows(ConfigException.class, () -> loader.loadLab("post", lab, Path.of(".")));

    assertEquals(
        List.of(
            new ConfigProblem(
                "post",
                5,
                13,
                "environment variable BROKER_HOST is not set (expected it to be set, or a default: ${BROKER_HOST:-value})")),
        e.problems());
  }
}
