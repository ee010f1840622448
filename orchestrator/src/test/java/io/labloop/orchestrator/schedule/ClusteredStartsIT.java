package io.labloop.orchestrator.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Planned starts in Quartz's JDBC job store on a real PostgreSQL server (started for the test
 * with the machine's server binaries): the tables are created on first use, and a start planned
 * by one scheduler is still there for the next one on the same database.
 */
class ClusteredStartsIT {
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static Path dir;
  private static Path bin;
  private static int port;
  private static boolean asPostgres;

  private final List<String> started = new CopyOnWriteArrayList<>();
  private final ScheduledWork work = new ScheduledWork() {
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
    bin = Path.of(output(List.of("pg_config", "--bindir")).strip());
    dir = Files.createTempDirectory("labloop-quartz-pg");
    asPostgres = "root".equals(System.getProperty("user.name")); // PostgreSQL refuses to run as root
    if (asPostgres) output(List.of("chown", "-R", "postgres", dir.toString()));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    pg(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "labloop", "--no-sync");
    pg(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString(),
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (dir == null) return;
    pg(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Test
  void aPlannedStartOutlivesTheSchedulerThatPlannedIt() {
    JobStore store = new JobStore.PostgreSql("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "labloop", "");
    Instant submitted = ZonedDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    LabScheduler first = LabScheduler.create(work, store, "a", UTC);
    first.start();
    Optional<Instant> due = first.planStart("night-run", CronSchedule.parse("0 30 2 * * ?", UTC), submitted);
    first.planStart("overdue", CronSchedule.parse("0 0 6 * * ?", UTC), Instant.now().minus(Duration.ofDays(2)));
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

  private static void pg(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
    full.addAll(List.of(command));
    output(full);
  }

  private static String output(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
