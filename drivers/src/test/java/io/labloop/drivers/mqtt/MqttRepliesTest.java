package io.labloop.drivers.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttRepliesTest {

  private static Map<String, Object> section() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "mqtt");
    s.put("broker", "tcp://127.0.0.1:1883");
    s.put(
        "commands",
        Map.of(
            "scan",
            Map.of(
                "request",
                "lab/xrd/scan",
                "payload",
                Map.of("sample", "{sampleId}"),
                "outputs",
                List.of("crystallinity", Map.of("name", "peak", "path", "result.peak")),
                "timeout",
                "2m")));
    return s;
  }

  private static MqttSettings.MqttCommand scan() {
    List<SettingsProblem> problems = new ArrayList<>();
    MqttSettings settings = MqttSettings.read(Section.of(section(), problems));
    assertEquals(List.of(), problems);
    return settings.commands().get("scan");
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void outputsAreTakenByFieldPathAndNumbersAreDoubles() throws Exception {
    var outcome =
        MqttReplies.parse(
            "xrd",
            scan(),
            json("{\"crystallinity\": 87, \"result\": {\"peak\": 38.1, \"unit\": \"deg\"}}"));
    assertEquals(Map.of("crystallinity", 87.0, "peak", 38.1), outcome.outputs());
  }

  @Test
  void anErrorFieldIsARefusal() {
    var e =
        assertThrows(
            InstrumentError.Refused.class,
            () -> MqttReplies.parse("xrd", scan(), json("{\"error\": \"door open\"}")));
    assertEquals("xrd.scan: the instrument answered error: door open", e.getMessage());
  }

  @Test
  void textThatIsNotJsonIsABadReply() {
    var e =
        assertThrows(
            InstrumentError.BadReply.class,
            () -> MqttReplies.parse("xrd", scan(), json("\u0000\u00ffgarbage{")));
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
  }

  @Test
  void aMissingFieldIsABadReplyNamingThePath() {
    var e =
        assertThrows(
            InstrumentError.BadReply.class,
            () ->
                MqttReplies.parse("xrd", scan(), json("{\"crystallinity\": 87, \"result\": {}}")));
    assertTrue(e.getMessage().contains("no field 'result.peak' for output 'peak'"), e.getMessage());
  }

  @Test
  void theSectionIsCheckedWithPaths() {
    Map<String, Object> s = section();
    s.put("broker", "http://broker");
    s.put("password", "secret");
    s.put(
        "commands",
        Map.of("scan", Map.of("request", "lab/+/scan", "payload", Map.of("sample", "{sampleId"))));
    List<SettingsProblem> problems =
        new MqttDriverFactory().check(new InstrumentSpec("xrd", "mqtt", s, Path.of("data")));
    List<List<Object>> paths = problems.stream().map(SettingsProblem::path).toList();
    assertTrue(paths.contains(List.of("broker")), problems.toString());
    assertTrue(paths.contains(List.of("password")), problems.toString());
    assertTrue(paths.contains(List.of("commands", "scan", "request")), problems.toString());
    assertTrue(paths.contains(List.of("commands", "scan", "payload")), problems.toString());
    assertInstanceOf(List.class, problems);
  }

  @Test
  void instrumentsOnOneBrokerShareAConnectionUnlessTheirClientOrUserDiffers() {
    List<SettingsProblem> problems = new ArrayList<>();
    Map<String, Object> a = section();
    Map<String, Object> b = section();
    String keyA = MqttSettings.read(Section.of(a, problems)).bridgeKey();
    assertEquals(keyA, MqttSettings.read(Section.of(b, problems)).bridgeKey());
    b.put("username", "xrd");
    b.put("password", "pw");
    assertTrue(!keyA.equals(MqttSettings.read(Section.of(b, problems)).bridgeKey()));
  }

  @Test
  void settingsNeverPrintThePassword() {
    Map<String, Object> s = section();
    s.put("username", "xrd");
    s.put("password", "s3cret-pw");
    String text = MqttSettings.read(Section.of(s, new ArrayList<>())).toString();
    assertTrue(text.contains("username=xrd") && !text.contains("s3cret-pw"), text);
  }
}
