package io.labloop.orchestrator.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.store.TemporaryPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Planned starts in Quartz's JDBC job store on a real PostgreSQL server (started for the test with
 * the machine's server binaries): the tables are created on first use, and a start planned by one
 * scheduler is still there for the next one on the same database.
 */
class ClusteredStartsIT {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static TemporaryPostgres postgres;
  private static String url;

  private final List<String> started = new CopyOnWriteArrayList<>();
  private final ScheduledWork work =
      new ScheduledWork() {
        @Override
        public void startCampaign(String campaignId) {
          started.add(campaignId);
        }

        @Override
        public void checkHealth() {}

        @Override
        public void calibrate(String instrument, String command) {}
      };

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = TemporaryPostgres.shared();
    url = postgres.newDatabase("quartz");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) postgres.close();
  }

  @Test
  void aPlannedStartOutlivesTheSchedulerThatPlannedIt() {
    JobStore store = new JobStore.PostgreSql(url, "labloop", "");
    Instant submitted = ZonedDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    LabScheduler first = LabScheduler.create(work, store, "a", UTC);
    first.start();
    Optional<Instant> due =
        first.planStart("night-run", CronSchedule.parse("0 30 2 * * ?", UTC), submitted);
    first.planStart(
        "overdue", CronSchedule.parse("0 0 6 * * ?", UTC), Instant.now().minus(Duration.ofDays(2)));
    await().atMost(Duration.ofSeconds(20)).until(() -> started.contains("overdue"));
    first.close();

    LabScheduler second = LabScheduler.create(work, store, "b", UTC);
    try {
      second.start();
      assertEquals(due, second.plannedStart("night-run"), "kept in PostgreSQL");
      assertEquals(Optional.empty(), second.plannedStart("overdue"), "a start happens once");
      assertEquals(List.of("overdue"), started);
    } finally {
      second.close();
    }
    assertTrue(due.isPresent());
  }

  @Test
  void twoDaemonsPlanningTheSameStartStartItOnce() {
    // two daemons on one PostgreSQL both read the same submission and plan its start; Quartz's
    // clustered job store must fire it on exactly one of them
    JobStore store = new JobStore.PostgreSql(url, "labloop", "");
    List<String> starts = new CopyOnWriteArrayList<>();
    LabScheduler a = LabScheduler.create(recording("a", starts), store, "daemon-a", UTC);
    LabScheduler b = LabScheduler.create(recording("b", starts), store, "daemon-b", UTC);
    try {
      a.start();
      b.start();
      CronSchedule everySecond = CronSchedule.parse("* * * * * ?", UTC);
      Instant submitted = Instant.now();
      a.planStart("twin", everySecond, submitted);
      b.planStart("twin", everySecond, submitted);
      await().atMost(Duration.ofSeconds(30)).until(() -> !starts.isEmpty());
      // and no second start follows on either daemon
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(5))
          .until(() -> starts.size() == 1);
      assertTrue(
          starts.get(0).equals("a:twin") || starts.get(0).equals("b:twin"), starts.toString());
      assertEquals(Optional.empty(), a.plannedStart("twin"));
      assertEquals(Optional.empty(), b.plannedStart("twin"));
    } finally {
      a.close();
      b.close();
    }
  }

  private static ScheduledWork recording(String daemon, List<String> starts) {
    return new ScheduledWork() {
      @Override
      public void startCampaign(String campaignId) {
        starts.add(daemon + ":" + campaignId);
      }

      @Override
      public void checkHealth() {}

      @Override
      public void calibrate(String instrument, String command) {}
    };
  }
}
