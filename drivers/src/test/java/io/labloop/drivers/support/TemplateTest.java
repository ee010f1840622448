package io.labloop.drivers.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void fillsPlaceholdersFromArguments() {
    Template t = Template.parse("MEAS {sampleId} AT {wavelength}nm");
    assertEquals(
        "MEAS S-0042 AT 520nm", t.render(Map.of("sampleId", "S-0042", "wavelength", 520.0)));
    assertEquals(Set.of("sampleId", "wavelength"), t.names());
  }

  @Test
  void keepsFractionsAndDropsTheTrailingZeroOfWholeNumbers() {
    Template t = Template.parse("SET {t}");
    assertEquals("SET 120", t.render(Map.of("t", 120.0)));
    assertEquals("SET 120.5", t.render(Map.of("t", 120.5)));
    assertEquals("SET 7", t.render(Map.of("t", 7L)));
  }

  @Test
  void doubledBracesAreLiteral() {
    assertEquals("{\"a\": 3}", Template.parse("{{\"a\": {x}}}").render(Map.of("x", 3L)));
  }

  @Test
  void aMissingArgumentIsNamedWithThoseGiven() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Template.parse("MEAS {sampleId}").render(Map.of("sample", "S1")));
    assertTrue(e.getMessage().contains("'sampleId'"), e.getMessage());
    assertTrue(e.getMessage().contains("[sample]"), e.getMessage());
  }

  @Test
  void anUnclosedPlaceholderIsRejectedWithItsColumn() {
    var e = assertThrows(IllegalArgumentException.class, () -> Template.parse("MEAS {sampleId"));
    assertTrue(e.getMessage().contains("column 6"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Template.parse("MEAS {}"));
  }

  @Test
  void aStructuredPayloadKeepsTheTypesOfWholePlaceholders() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("sample", "{sampleId}");
    payload.put("temperature", "{t}");
    payload.put("label", "run {sampleId} at {t}");
    payload.put("steps", List.of("{t}", 3L));
    payload.put("fixed", true);
    Object out = Template.renderTree(payload, Map.of("sampleId", "S7", "t", 80.5));
    assertEquals(
        Map.of(
            "sample",
            "S7",
            "temperature",
            80.5,
            "label",
            "run S7 at 80.5",
            "steps",
            List.of(80.5, 3L),
            "fixed",
            true),
        out);
    assertEquals(Set.of("sampleId", "t"), Template.namesInTree(payload));
  }
}
