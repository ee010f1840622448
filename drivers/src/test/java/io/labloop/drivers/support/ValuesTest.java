package io.labloop.drivers.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.settings.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValuesTest {

  @ParameterizedTest
  @CsvSource({"521.5, 521.5", "38, 38.0", "-1e-3, -0.001", "+.5, 0.5", "' 12 ', 12.0"})
  void numbersInRepliesBecomeDoubles(String text, double expected) {
    assertEquals(expected, Values.fromText(text));
  }

  @Test
  void nonNumbersStayTextAndBooleansAreBooleans() {
    assertEquals("S-0042", Values.fromText("S-0042"));
    assertEquals("NaN", Values.fromText("NaN"));
    assertEquals("0x1F", Values.fromText("0x1F"));
    assertEquals(Boolean.TRUE, Values.fromText("TRUE"));
    assertEquals(Boolean.FALSE, Values.fromText("false"));
  }

  @Test
  void protocolNumbersKeepTheirKind() {
    assertEquals(3L, Values.normalise(3));
    assertEquals(3L, Values.normalise((short) 3));
    assertEquals(2.5, Values.normalise(2.5f));
    assertEquals(0.1, Values.normalise(new BigDecimal("0.1")));
    assertEquals("x", Values.normalise("x"));
  }

  @Test
  void toDoubleNamesWhatWasWrong() {
    assertEquals(4.0, Values.toDouble("t", "4"));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Values.toDouble("argument 'temperature'", "hot"));
    assertEquals("argument 'temperature' must be a number, got 'hot'", e.getMessage());
  }

  @Test
  void durationsAsEngineersWriteThem() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(10), Durations.parse("10m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofMillis(1500), Durations.parse(1.5));
    assertEquals(Duration.ofSeconds(5), Durations.parse("5"));
    var e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("ten minutes"));
    assertEquals(
        "'ten minutes' is not a duration; expected a number with a unit, e.g. 500ms, 30s, 10m or 2h",
        e.getMessage());
  }
}
