package io.labloop.orchestrator.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in the files: {@code 90s}, {@code 30m}, {@code 8h}, {@code 2d},
 * {@code 500ms}, or combined, {@code 1h30m}. A unit is required: a bare {@code 8} could mean
 * seconds or hours, and a campaign's wall time is no place to guess.
 */
public final class DurationText {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
  static final String EXPECTED = "expected a duration with a unit, e.g. 90s, 30m, 8h or 1h30m";

  private DurationText() {}

  /**
   * @throws IllegalArgumentException with {@link #EXPECTED} if {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(t);
    int at = 0;
    double millis = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) throw new IllegalArgumentException(EXPECTED);
      double amount = Double.parseDouble(m.group(1));
      millis +=
          amount
              * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
              };
      at = m.end();
      while (at < t.length() && t.charAt(at) == ' ') at++;
    }
    if (t.isEmpty()) throw new IllegalArgumentException(EXPECTED);
    return Duration.ofMillis(Math.round(millis));
  }
}
