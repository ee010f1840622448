package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class YamlTextTest {

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Report report = new Report("t.yaml", problems);
  private final YamlText yaml =
      new YamlText(new Environment(Map.of("PORT", "4840", "HOST", "lab-pc")));

  private YamlNode parse(String text) {
    return yaml.parse(text, report).orElseThrow();
  }

  @Test
  void typesValuesByTheYaml12CoreSchema() {
    Object plain = parse("a: 1\nb: 1.5e-3\nc: yes\nd: true\ne: ~\nf: '12'\ng: 0x1F\n").plain();

    Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("a", 1L);
    expected.put("b", 1.5e-3);
    expected.put("c", "yes"); // YAML 1.1 read this as true; 1.2 keeps it text (Norway stays NO)
    expected.put("d", true);
    expected.put("e", null);
    expected.put("f", "12");
    expected.put("g", 31L);
    assertEquals(expected, plain);
    assertEquals(List.of(), problems);
  }

  @Test
  void positionsAreOneBasedLineAndColumnOfTheValue() {
    YamlNode root = parse("# comment\nlab: x\ninstruments:\n  robot: { driver: opcua }\n");

    assertEquals(
        new YamlNode.Pos(4, 20), root.find(List.of("instruments", "robot", "driver")).pos());
    assertEquals(new YamlNode.Pos(4, 3), root.keyPosition(List.of("instruments", "robot")));
  }

  @Test
  void aPathThatLeavesTheTreeGivesTheNearestNode() {
    YamlNode root = parse("lab: x\ninstruments:\n  robot: { driver: opcua }\n");

    assertEquals(
        new YamlNode.Pos(3, 10),
        root.find(List.of("instruments", "robot", "commands", "go")).pos());
  }

  @Test
  void windowsLineEndingsAndAByteOrderMarkAreFine() {
    Optional<String> text = YamlText.checkText("\uFEFFlab: x\r\nport: ${PORT}\r\n", report);

    assertEquals(Map.of("lab", "x", "port", 4840L), parse(text.orElseThrow()).plain());
  }

  @Test
  void quotedTextFilledFromTheEnvironmentStaysText() {
    assertEquals(
        Map.of("port", "4840", "url", "opc.tcp://lab-pc:4840"),
        parse("port: '${PORT}'\nurl: opc.tcp://${HOST}:${PORT}\n").plain());
  }

  @Test
  void aliasesAreLimitedSoThatABillionLaughsFileCannotHoldTheDaemon() {
    StringBuilder text = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 60; i++) text.append("k").append(i).append(": *a\n");

    assertEquals(Optional.empty(), yaml.parse(text.toString(), report));
    assertEquals(1, problems.size());
    assertEquals(
        true,
        problems.get(0).message().startsWith("not valid YAML: Number of aliases"),
        problems.get(0).message());
  }

  @Test
  void aKeyThatIsAMapIsAProblemAtTheKey() {
    parse("lab: x\n? [a, b]\n: 1\n");

    assertEquals(
        List.of(new ConfigProblem("t.yaml", 2, 3, "a map or list used as a key (expected a name)")),
        problems);
  }
}
