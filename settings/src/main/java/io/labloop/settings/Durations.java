package io.labloop.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a lab engineer writes them: {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, or
 * a bare number of seconds.
 */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException with the expected form if {@code value} is not one
   */
  public static Duration parse(Object value) {
    if (value instanceof Number n) {
      return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not a duration; expected a number with a unit, e.g. 500ms, 30s, 10m or 2h");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          default -> amount * 3_600_000;
        };
    return Duration.ofMillis(Math.round(millis));
  }
}
