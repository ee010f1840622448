package io.labloop.orchestrator.schedule;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A {@code schedule:} expression. Both the five-field Unix form researchers know ({@code 0 6 * *
 * 1-5}: 06:00 on weekdays) and Quartz's six- or seven-field form (seconds first, {@code ?} for
 * "any" day) are accepted; the Unix form is translated (a seconds field added, day-of-week numbers
 * moved from 0-7 with Sunday 0 or 7 to Quartz's 1-7 with Sunday 1, and {@code ?} placed where
 * Quartz needs it).
 */
public record CronSchedule(String given, String quartz, TimeZone zone) {

  /**
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static CronSchedule parse(String expression, TimeZone zone) {
    String q = toQuartz(expression.strip());
    try {
      CronExpression.validateExpression(q);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "schedule '"
              + expression
              + "' is not a cron expression: "
              + e.getMessage()
              + " (expected e.g. '0 6 * * 1-5' for 06:00 on weekdays)");
    }
    return new CronSchedule(expression, q, zone);
  }

  /** The first time after {@code after} that matches, if any ever does. */
  public Optional<Instant> nextAfter(Instant after) {
    try {
      CronExpression c = new CronExpression(quartz);
      c.setTimeZone(zone);
      return Optional.ofNullable(c.getNextValidTimeAfter(Date.from(after))).map(Date::toInstant);
    } catch (ParseException e) {
      throw new IllegalStateException("validated at parse", e);
    }
  }

  static String toQuartz(String expr) {
    String[] f = expr.split("\\s+");
    if (f.length != 5) return expr;
    String dom = f[2];
    String dow = unixDaysToQuartz(f[4]);
    if (dow.equals("*")) {
      dow = "?";
    } else if (dom.equals("*")) {
      dom = "?";
    }
    return "0 " + f[0] + " " + f[1] + " " + dom + " " + f[3] + " " + dow;
  }

  private static String unixDaysToQuartz(String dow) {
    if (!dow.matches("[0-7,\\-/]+"))
      return dow; // names (MON-FRI), '*', or something Quartz will judge
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+|[^\\d]").matcher(dow);
    boolean afterSlash = false;
    while (m.find()) {
      String t = m.group();
      if (Character.isDigit(t.charAt(0)) && !afterSlash) {
        int d = Integer.parseInt(t);
        out.append(d == 7 ? 1 : d + 1);
      } else {
        out.append(t);
      }
      afterSlash = t.equals("/");
    }
    return out.toString();
  }
}
