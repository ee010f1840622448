package io.labloop.orchestrator.loop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.simulators.VirtualLab;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code labloop run} process, SIGKILLed again and again and restarted with the same
 * command, like an instrument PC losing power. The virtual lab runs in the test's JVM and
 * outlives every kill, as real instruments do, so it counts every command that reached it.
 * Each kill comes a random number of journal transitions after the restart, so kills land
 * while a command is in flight (STARTED) and between commands (DONE).
 *
 * <p>In the end: every experiment DONE before a kill is still DONE with the same values; no
 * non-idempotent command (synthesize, scan) reached an instrument more often than it was
 * journaled, and none was journaled twice for one experiment; the budget is complete.
 */
class CrashResumeIT {

  private static final int KILLS = 11;
  private static final int BUDGET = 20;

  @TempDir Path dir;

  @Test
  void killedAtRandomItLosesNothingAndNeverSendsANonIdempotentCommandTwice() throws Exception {
    LoopFiles files = new LoopFiles(dir).set("BUDGET", BUDGET).set("TIME_SCALE", "0.0003");
    try (VirtualLab lab = VirtualLab.start(files.writeLab(), dir.resolve("sim"))) {
      // the lab file the runs use names the ports the virtual lab really took
      files.set("ROBOT_PORT", URI.create(lab.endpoint("robot").address()).getPort())
          .set("MQTT_PORT", URI.create(lab.endpoint("xrd").address()).getPort());
      Path campaign = files.write();
      Path data = dir.resolve("data");
      Random random = new Random(20261129L);
      Map<Integer, ExperimentRecord> doneBeforeKills = new HashMap<>();
      List<String> killedAt = new ArrayList<>();
      for (int kill = 0; kill < KILLS; kill++) {
        long before = transitions(data);
        long target = before + 3 + random.nextInt(10);
        Path log = dir.resolve("run-" + kill + ".log");
        Process p = start(campaign, data, log);
        try {
          await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
              .until(() -> !p.isAlive() || transitions(data) >= target);
        } finally {
          p.destroyForcibly(); // SIGKILL: no shutdown hook runs, like a power cut
          p.waitFor(30, TimeUnit.SECONDS);
        }
        if (runStatus(data).equals("COMPLETED")) break;
        assertTrue(transitions(data) > before, () -> "the run made progress between kills; its output:\n" + tail(log));
        killedAt.add(lastTransition(data));
        try (Store store = Store.open(StoreLocation.sqlite(data))) {
          RunRecord run = store.latestRun("loop-silver").orElseThrow();
          for (ExperimentRecord e : store.experiments(run.id())) {
            if (e.status() == ExperimentStatus.DONE) doneBeforeKills.putIfAbsent(e.seq(), e);
          }
        }
      }
      Path finalLog = dir.resolve("run-final.log");
      Process last = start(campaign, data, finalLog);
      assertTrue(last.waitFor(180, TimeUnit.SECONDS), "the resumed run finishes");
      assertEquals(0, last.exitValue(), () -> tail(finalLog));

      try (Store store = Store.open(StoreLocation.sqlite(data))) {
        assertEquals(1, store.runs("loop-silver").size(), "the same command always resumed the same run");
        RunRecord run = store.latestRun("loop-silver").orElseThrow();
        assertEquals(RunStatus.COMPLETED, run.status());
        List<ExperimentRecord> experiments = store.experiments(run.id());
        assertEquals(BUDGET, experiments.stream().filter(ExperimentRecord::reached).count(), "the budget completes");
        Map<Integer, ExperimentRecord> now = new HashMap<>();
        experiments.forEach(e -> now.put(e.seq(), e));
        for (ExperimentRecord before : doneBeforeKills.values()) {
          ExperimentRecord after = now.get(before.seq());
          assertEquals(ExperimentStatus.DONE, after.status());
          assertEquals(before.values(), after.values(), "experiment #" + before.seq() + " kept its values");
          assertEquals(before.achieved(), after.achieved());
        }

        List<StepRecord> steps = store.steps(run.id());
        for (String[] c : new String[][] {{"robot", "synthesize"}, {"xrd", "scan"}}) {
          assertTrue(steps.stream().noneMatch(s -> s.command().equals(c[1]) && s.attempt() > 1), c[1] + " is never sent a second time");
          // the planner may suggest an interrupted point again as a new experiment: count per argument set
          Map<String, Long> received = new HashMap<>();
          lab.journal(c[0]).stream().filter(r -> r.command().equals(c[1])).forEach(r -> received.merge(key(r.arguments()), 1L, Long::sum));
          Map<String, Long> journaled = new HashMap<>();
          steps.stream().filter(s -> s.command().equals(c[1]) && s.startedAt().isPresent())
              .forEach(s -> journaled.merge(key(s.arguments()), 1L, Long::sum));
          received.forEach((args, n) -> assertTrue(n <= journaled.getOrDefault(args, 0L),
              c[0] + " received " + c[1] + " " + args + " " + n + " times but it was journaled " + journaled.getOrDefault(args, 0L)));
        }
        long interrupted = experiments.stream().filter(e -> e.status() == ExperimentStatus.INTERRUPTED).count();
        long resent = steps.stream().filter(s -> s.command().equals("measure") && s.attempt() > 1).count();
        System.out.printf("CrashResumeIT: %d kills, last transition at each kill %s; %d experiments DONE before a kill kept their values;"
                + " %d interrupted; %d measure steps re-sent (idempotent); robot received %d syntheses, %d journaled; %d experiments%n",
            killedAt.size(), killedAt, doneBeforeKills.size(), interrupted, resent, lab.received("robot", "synthesize"),
            steps.stream().filter(s -> s.command().equals("synthesize") && s.startedAt().isPresent()).count(), experiments.size());
        assertTrue(killedAt.size() >= 10, "killed at least 10 times: " + killedAt.size());
        assertTrue(new HashSet<>(killedAt).size() >= 3, "kills landed at different steps: " + killedAt);
        assertTrue(doneBeforeKills.size() >= 3, "some experiments were done before a kill: " + doneBeforeKills.size());
      }
    }
  }

  private Process start(Path campaign, Path data, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        "io.labloop.orchestrator.cli.Main", "run", campaign.toString(), "--data", data.toString());
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  /** Journal transitions so far: each step row counts once when STARTED and once more when it ended. */
  private static long transitions(Path data) {
    return query(data, "SELECT COUNT(*) + COALESCE(SUM(CASE WHEN status <> 'STARTED' THEN 1 ELSE 0 END), 0) FROM steps", "0")
        .transform(Long::parseLong);
  }

  private static String runStatus(Path data) {
    return query(data, "SELECT status FROM runs", "none");
  }

  /** The last journal line at the moment of a kill, e.g. "synthesize STARTED". */
  private static String lastTransition(Path data) {
    return query(data, "SELECT step_id || ' ' || status FROM steps ORDER BY COALESCE(ended_at, started_at, planned_at) DESC, "
        + "seq DESC, step_index DESC LIMIT 1", "nothing");
  }

  private static String query(Path data, String sql, String otherwise) {
    Path db = data.resolve("labloop.db");
    if (!Files.exists(db)) return otherwise;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1) : otherwise;
    } catch (java.sql.SQLException e) {
      return otherwise; // the schema is not there yet
    }
  }

  /** Arguments as text, numbers compared as doubles whatever type the protocol gave them. */
  private static String key(Map<String, Object> arguments) {
    TreeMap<String, String> sorted = new TreeMap<>();
    arguments.forEach((k, v) -> sorted.put(k, v instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(v)));
    return sorted.toString();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
