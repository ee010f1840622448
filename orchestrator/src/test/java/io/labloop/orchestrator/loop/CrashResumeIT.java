package io.labloop.orchestrator.loop;

import static io.labloop.orchestrator.loop.RunProcesses.query;
import static io.labloop.orchestrator.loop.RunProcesses.runStatus;
import static io.labloop.orchestrator.loop.RunProcesses.start;
import static io.labloop.orchestrator.loop.RunProcesses.tail;
import static io.labloop.orchestrator.loop.RunProcesses.transitions;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code labloop run} process, SIGKILLed again and again and restarted with the same
 * command, like an instrument PC losing power. The virtual lab runs in the test's JVM and outlives
 * every kill, as real instruments do, so it counts every command that reached it. Each kill comes a
 * random number of journal transitions after the restart, so kills land while a command is in
 * flight (STARTED) and between commands (DONE).
 *
 * <p>In the end: every experiment DONE before a kill is still DONE with the same values; no
 * non-idempotent command (synthesize, scan) reached an instrument more often than it was journaled,
 * and none was journaled twice for one experiment; the budget is complete.
 */
class CrashResumeIT {

  private static final int KILLS = 11;
  private static final int BUDGET = 20;

  @TempDir Path dir;

  @Test
  void killedAtRandomItLosesNothingAndNeverSendsANonIdempotentCommandTwice() throws Exception {
    LoopFiles files = new LoopFiles(dir).set("BUDGET", BUDGET).set("TIME_SCALE", "0.0003");
    try (VirtualLab lab = files.startLab()) {
      Path campaign = files.writeFor(lab);
      Path data = dir.resolve("data");
      Random random = new Random(20261129L);
      Map<Integer, ExperimentRecord> doneBeforeKills = new HashMap<>();
      List<String> killedAt = new ArrayList<>();
      for (int kill = 0; kill < KILLS; kill++) {
        long before = transitions(data);
        long target = before + 3 + random.nextInt(10);
        Path log = dir.resolve("run-" + kill + ".log");
        Process p = start(dir, campaign, data, log);
        try {
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> !p.isAlive() || transitions(data) >= target);
        } finally {
          p.destroyForcibly(); // SIGKILL: no shutdown hook runs, like a power cut
          p.waitFor(30, TimeUnit.SECONDS);
        }
        if (runStatus(data).equals("COMPLETED")) break;
        assertTrue(
            transitions(data) > before,
            () -> "the run made progress between kills; its output:\n" + tail(log));
        killedAt.add(lastTransition(data));
        try (Store store = Store.open(StoreLocation.sqlite(data))) {
          RunRecord run = store.latestRun("loop-silver").orElseThrow();
          for (ExperimentRecord e : store.experiments(run.id())) {
            if (e.status() == ExperimentStatus.DONE) doneBeforeKills.putIfAbsent(e.seq(), e);
          }
        }
      }
      RunProcesses.runToTheEnd(dir, campaign, data, dir.resolve("run-final.log"));

      try (Store store = Store.open(StoreLocation.sqlite(data))) {
        RunRecord run = RunProcesses.completedOnce(store, BUDGET);
        List<ExperimentRecord> experiments = store.experiments(run.id());
        RunProcesses.assertStillDone(doneBeforeKills.values(), experiments);

        List<StepRecord> steps = store.steps(run.id());
        RunProcesses.assertNonIdempotentCommandsSentOnce(lab, steps);
        long interrupted =
            experiments.stream().filter(e -> e.status() == ExperimentStatus.INTERRUPTED).count();
        long resent =
            steps.stream().filter(s -> s.command().equals("measure") && s.attempt() > 1).count();
        System.out.printf(
            "CrashResumeIT: %d kills, last transition at each kill %s; %d experiments DONE before a kill kept their values;"
                + " %d interrupted; %d measure steps re-sent (idempotent); robot received %d syntheses, %d journaled; %d experiments%n",
            killedAt.size(),
            killedAt,
            doneBeforeKills.size(),
            interrupted,
            resent,
            lab.received("robot", "synthesize"),
            steps.stream()
                .filter(s -> s.command().equals("synthesize") && s.startedAt().isPresent())
                .count(),
            experiments.size());
        assertTrue(killedAt.size() >= 10, "killed at least 10 times: " + killedAt.size());
        assertTrue(
            new HashSet<>(killedAt).size() >= 3, "kills landed at different steps: " + killedAt);
        assertTrue(
            doneBeforeKills.size() >= 3,
            "some experiments were done before a kill: " + doneBeforeKills.size());
      }
    }
  }

  /** The last journal line at the moment of a kill, e.g. "synthesize STARTED". */
  private static String lastTransition(Path data) {
    return query(
        data,
        "SELECT step_id || ' ' || status FROM steps ORDER BY COALESCE(ended_at, started_at, planned_at) DESC, "
            + "seq DESC, step_index DESC LIMIT 1",
        "nothing");
  }
}
