package io.labloop.orchestrator.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  @Test
  void unixFormIsTranslatedWithSundayZeroOrSeven() {
    assertEquals("0 0 6 ? * 2-6", CronSchedule.toQuartz("0 6 * * 1-5"));
    assertEquals("0 30 2 * * ?", CronSchedule.toQuartz("30 2 * * *"));
    assertEquals("0 0 8 ? * 1", CronSchedule.toQuartz("0 8 * * 0"));
    assertEquals("0 0 8 ? * 1", CronSchedule.toQuartz("0 8 * * 7"));
    assertEquals("0 0 8 1 * ?", CronSchedule.toQuartz("0 8 1 * *"));
    assertEquals("0/15 * * * * ?", CronSchedule.toQuartz("0/15 * * * * ?"), "Quartz form is kept");
  }

  @Test
  void weekdaysAtSixInTheLabsTimeZone() {
    TimeZone berlin = TimeZone.getTimeZone("Europe/Berlin");
    CronSchedule s = CronSchedule.parse("0 6 * * 1-5", berlin);
    // Friday 2030-01-04 07:00 Berlin: next is Monday 06:00 Berlin.
    Instant friday =
        ZonedDateTime.of(2030, 1, 4, 7, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();
    ZonedDateTime next = s.nextAfter(friday).orElseThrow().atZone(ZoneId.of("Europe/Berlin"));
    assertEquals(DayOfWeek.MONDAY, next.getDayOfWeek());
    assertEquals(6, next.getHour());
  }

  @Test
  void aBadExpressionSaysWhatIsExpected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CronSchedule.parse("every morning", TimeZone.getTimeZone("UTC")));
    assertTrue(
        e.getMessage().startsWith("schedule 'every morning' is not a cron expression"),
        e.getMessage());
    assertTrue(e.getMessage().contains("expected e.g. '0 6 * * 1-5'"), e.getMessage());
  }
}
