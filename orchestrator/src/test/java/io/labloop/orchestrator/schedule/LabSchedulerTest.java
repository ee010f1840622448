package io.labloop.orchestrator.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LabSchedulerTest {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private final List<String> started = new CopyOnWriteArrayList<>();
  private final AtomicInteger healthChecks = new AtomicInteger();
  private final List<String> calibrations = new CopyOnWriteArrayList<>();
  private final ScheduledWork work =
      new ScheduledWork() {
        @Override
        public void startCampaign(String campaignId) {
          started.add(campaignId);
        }

        @Override
        public void checkHealth() {
          healthChecks.incrementAndGet();
        }

        @Override
        public void calibrate(String instrument, String command) {
          calibrations.add(instrument + "." + command);
        }
      };
  private final LabScheduler scheduler =
      LabScheduler.create(work, new JobStore.InMemory(), "test-" + System.nanoTime(), UTC);

  @AfterEach
  void close() {
    scheduler.close();
  }

  @Test
  void aStartThatFellDueWhileTheDaemonWasDownHappensAtOnce() {
    scheduler.start();
    // Submitted yesterday for 06:00 every day: that time has passed, so it starts now.
    Optional<Instant> due =
        scheduler.planStart(
            "silver",
            CronSchedule.parse("0 6 * * *", UTC),
            Instant.now().minus(Duration.ofDays(1)));
    assertTrue(due.isPresent() && due.get().isBefore(Instant.now()));
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("silver"));
    assertEquals(1, started.size(), "a campaign starts once");
  }

  @Test
  void aFutureStartIsPlannedAndCanBeCancelled() {
    scheduler.start();
    Instant submitted = ZonedDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    Optional<Instant> due =
        scheduler.planStart("night-run", CronSchedule.parse("30 2 * * *", UTC), submitted);
    assertEquals(
        Optional.of(ZonedDateTime.of(2030, 1, 2, 2, 30, 0, 0, ZoneOffset.UTC).toInstant()), due);
    assertEquals(due, scheduler.plannedStart("night-run"));
    scheduler.cancelStart("night-run");
    assertFalse(scheduler.plannedStart("night-run").isPresent());
    assertTrue(started.isEmpty());
  }

  @Test
  void healthChecksRepeatAndCalibrationsFollowTheirCron() {
    scheduler.start();
    scheduler.healthChecks(Duration.ofMillis(200));
    scheduler.calibration("spectrometer", "calibrate", CronSchedule.parse("* * * * * ?", UTC));
    await().atMost(Duration.ofSeconds(5)).until(() -> healthChecks.get() >= 2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> calibrations.contains("spectrometer.calibrate"));
  }
}
