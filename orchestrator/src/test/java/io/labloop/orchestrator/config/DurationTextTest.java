package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "90s, 90000",
    "30m, 1800000",
    "8h, 28800000",
    "2d, 172800000",
    "500ms, 500",
    "1h30m, 5400000",
    "1.5h, 5400000",
    "'1h 30m', 5400000",
    "2H, 7200000"
  })
  void readsTheUnitsPeopleWrite(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationText.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8", "8 hours", "h", "", "-5m", "5m30", "soon"})
  void refusesAnythingWithoutAClearUnit(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
    assertEquals(DurationText.EXPECTED, e.getMessage());
  }
}
