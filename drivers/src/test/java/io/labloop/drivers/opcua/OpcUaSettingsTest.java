package io.labloop.drivers.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.junit.jupiter.api.Test;

class OpcUaSettingsTest {

  private static Map<String, Object> robot() {
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put(
        "synthesize",
        Map.of(
            "method",
            Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Synthesize"),
            "inputs",
            List.of(
                Map.of("name", "temperature", "type", "Double"),
                "time",
                "concentration",
                "solvent"),
            "outputs",
            List.of("sampleId"),
            "timeout",
            "10m",
            "idempotent",
            false));
    commands.put(
        "heat",
        Map.of(
            "write",
                List.of(
                    Map.of(
                        "node",
                        "ns=2;s=Robot.Setpoint",
                        "value",
                        "{temperature}",
                        "type",
                        "Float")),
            "trigger", Map.of("node", "ns=2;s=Robot.Start", "value", true),
            "until", Map.of("node", "ns=2;s=Robot.State", "equals", "Idle"),
            "outputs", List.of(Map.of("name", "reached", "node", "ns=2;s=Robot.Temperature"))));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "opcua");
    s.put("endpoint", "opc.tcp://127.0.0.1:4840/labloop");
    s.put(
        "security",
        Map.of(
            "policy",
            "Basic256Sha256",
            "mode",
            "SignAndEncrypt",
            "username",
            "lab",
            "password",
            "pw"));
    s.put("variables", Map.of("Door", "ns=2;s=Robot.Door"));
    s.put("limits", Map.of("temperature", Map.of("min", 20, "max", 250)));
    s.put("commands", commands);
    return s;
  }

  @Test
  void readsEveryCommandForm() {
    List<SettingsProblem> problems = new ArrayList<>();
    OpcUaSettings s = OpcUaSettings.read(Section.of(robot(), problems), Path.of("data"));
    assertEquals(List.of(), problems);
    var synth = s.commands().get("synthesize");
    assertEquals(NodeId.parse("ns=2;s=Robot.Synthesize"), synth.method().get());
    assertEquals(
        List.of("temperature", "time", "concentration", "solvent"),
        synth.inputs().stream().map(OpcUaSettings.Input::name).toList());
    assertEquals("Double", synth.inputs().get(0).type());
    assertEquals(List.of("sampleId"), synth.methodOutputs());
    var heat = s.commands().get("heat");
    assertEquals("Idle", heat.until().get().equals());
    assertEquals(Map.of("reached", NodeId.parse("ns=2;s=Robot.Temperature")), heat.reads());
    assertEquals(Path.of("data", "opcua", "pki"), s.security().trustDir());
    assertEquals(NodeId.parse("ns=2;s=Robot.Door"), s.variables().get("Door"));
  }

  @Test
  void badNodeIdsPoliciesAndTypesAreReportedWithTheirPaths() {
    Map<String, Object> s = robot();
    s.put("security", Map.of("policy", "Basic128Rsa15", "username", "lab"));
    s.put(
        "commands",
        Map.of(
            "synthesize",
            Map.of(
                "method",
                Map.of("object", "Robot", "method", "ns=2;s=Robot.Synthesize"),
                "inputs",
                List.of(Map.of("name", "temperature", "type", "Real")))));
    List<SettingsProblem> problems =
        new OpcUaDriverFactory().check(new InstrumentSpec("robot", "opcua", s, Path.of("data")));
    List<List<Object>> paths = problems.stream().map(SettingsProblem::path).toList();
    assertTrue(paths.contains(List.of("security", "policy")), problems.toString());
    assertTrue(paths.contains(List.of("security")), problems.toString());
    assertTrue(
        paths.contains(List.of("commands", "synthesize", "method", "object")), problems.toString());
    assertTrue(paths.contains(List.of("commands", "synthesize", "inputs")), problems.toString());
  }

  @Test
  void argumentsAreConvertedToTheDeclaredTypeOrInferred() {
    assertEquals(new Variant(120.0), OpcUaValues.toVariant("t", 120.0, null));
    assertEquals(new Variant(3L), OpcUaValues.toVariant("n", 3L, null));
    assertEquals(new Variant("water"), OpcUaValues.toVariant("solvent", "water", null));
    assertEquals(new Variant(120), OpcUaValues.toVariant("t", 120.0, "Int32"));
    assertEquals(new Variant(120.5f), OpcUaValues.toVariant("t", "120.5", "Float"));
    assertEquals(new Variant(UInteger.valueOf(7)), OpcUaValues.toVariant("n", 7.0, "UInt32"));
    assertEquals(new Variant(true), OpcUaValues.toVariant("start", "true", "Boolean"));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OpcUaValues.toVariant("argument 'time'", 2.5, "Int32"));
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
  }

  @Test
  void repliesAreNormalisedAndUntilComparesValuesNotSpelling() {
    assertEquals(7L, OpcUaValues.fromVariant(new Variant(UInteger.valueOf(7))).get());
    assertEquals(2.5, OpcUaValues.fromVariant(new Variant(2.5f)).get());
    assertTrue(
        OpcUaValues.fromVariant(
                new Variant(
                    org.eclipse.milo.opcua.stack.core.types.builtin.ByteString.of(
                        new byte[] {1, 2})))
            .isEmpty());
    assertTrue(OpcUaInstrument.matches(1L, "1"));
    assertTrue(OpcUaInstrument.matches(1.0, "1"));
    assertTrue(OpcUaInstrument.matches("Idle", "Idle"));
    assertTrue(!OpcUaInstrument.matches("Busy", "Idle"));
  }
}
