package io.labloop.drivers.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.SettingsProblem;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerialSettingsTest {

  private static List<SettingsProblem> check(Map<String, Object> section) {
    return new SerialDriverFactory()
        .check(new InstrumentSpec("uvvis", "serial", section, Path.of("data")));
  }

  private static Map<String, Object> valid() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "serial");
    s.put("description", "UV-Vis on the bench");
    s.put("limits", Map.of());
    s.put("capacity", 1);
    s.put("abort", Map.of("send", "ABORT"));
    s.put("port", "/dev/ttyUSB0");
    s.put("baud", 115200);
    s.put("parity", "even");
    s.put("stop-bits", "2");
    s.put("flow-control", "rts-cts");
    s.put("terminator", "\r\n");
    s.put("late-reply-wait", "3s");
    s.put(
        "commands",
        Map.of(
            "measure",
            Map.of(
                "send",
                "MEAS {sampleId}",
                "expect",
                "^OK (?<peak>[0-9.]+)$",
                "outputs",
                List.of("peak"),
                "timeout",
                "30s",
                "idempotent",
                true,
                "requires",
                Map.of(),
                "description",
                "one spectrum",
                "delay",
                "200ms")));
    return s;
  }

  @Test
  void aCompleteSectionWithTheCommonKeysHasNoProblems() {
    assertEquals(List.of(), check(valid()));
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    Map<String, Object> s = valid();
    s.remove("port");
    s.put("baud", "fast");
    s.put("parity", "sometimes");
    s.put("colour", "blue");
    s.put("late-reply-wait", "a while");
    s.put(
        "commands",
        Map.of(
            "measure",
            Map.of(
                "send",
                "MEAS {sampleId",
                "expect",
                "^OK (?<peak>[0-9.]+$",
                "lines",
                2,
                "end",
                "END",
                "outputs",
                List.of("peak"))));
    List<SettingsProblem> problems = check(s);
    Map<List<Object>, String> byPath = new LinkedHashMap<>();
    problems.forEach(p -> byPath.merge(p.path(), p.message(), (a, b) -> a + " | " + b));
    assertTrue(byPath.get(List.of()).contains("missing 'port'"), byPath.toString());
    assertTrue(byPath.get(List.of("baud")).contains("whole number"), byPath.toString());
    assertTrue(
        byPath.get(List.of("parity")).contains("[none, even, odd, mark, space]"),
        byPath.toString());
    assertTrue(byPath.get(List.of("colour")).contains("unknown key 'colour'"), byPath.toString());
    assertTrue(byPath.containsKey(List.of("late-reply-wait")), byPath.toString());
    assertTrue(
        byPath.get(List.of("commands", "measure", "send")).contains("unclosed '{'"),
        byPath.toString());
    assertTrue(
        byPath
            .get(List.of("commands", "measure", "expect"))
            .contains("not a valid regular expression"),
        byPath.toString());
    assertTrue(
        byPath.get(List.of("commands", "measure", "end")).contains("either 'lines' or 'end'"),
        byPath.toString());
  }

  @Test
  void anOutputThatNoGroupCapturesIsAProblem() {
    Map<String, Object> s = valid();
    s.put(
        "commands",
        Map.of(
            "measure",
            Map.of(
                "send",
                "MEAS",
                "expect",
                "^OK (?<peak>[0-9.]+)$",
                "outputs",
                List.of("peak", "fwhm"))));
    List<SettingsProblem> problems = check(s);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(List.of("commands", "measure", "outputs"), problems.get(0).path());
    assertTrue(
        problems.get(0).message().contains("'fwhm' is not a named group"),
        problems.get(0).message());
  }
}
