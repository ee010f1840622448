package io.labloop.orchestrator.loop;

import static io.labloop.orchestrator.loop.RunProcesses.query;
import static io.labloop.orchestrator.loop.RunProcesses.start;
import static io.labloop.orchestrator.loop.RunProcesses.tail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.cli.ExitCodes;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real {@code labloop run} process: a real SIGINT while experiments are done and a step
 * is in flight, then the same command again. The virtual lab runs in the test's JVM, as in {@link
 * CrashResumeIT}, so it outlives the run and counts what it received.
 *
 * <p>What a user expects of Ctrl-C, unlike a power cut: the process leaves promptly, with the exit
 * code {@code labloop help run} documents and a line saying how to resume; the command in flight is
 * answered and journaled rather than left "maybe sent", so nothing is interrupted; and the same
 * command then finishes the budget without losing or repeating anything.
 */
class CtrlCResumeIT {

  private static final int BUDGET = 8;

  @TempDir Path dir;

  @Test
  void ctrlCStopsPromptlyWithNothingHalfDoneAndTheSameCommandResumes() throws Exception {
    // A shell without job control starts a background command (`mvn verify &` in a script, su -c
    // "... &") with SIGINT ignored; every process below inherits that, and the JVM then leaves
    // SIGINT ignored, so no Ctrl-C could reach the run. Say so instead of failing on its exit code.
    org.junit.jupiter.api.Assumptions.assumeFalse(
        sigintIgnoredHere(),
        "SIGINT is ignored in this test JVM (inherited from a shell that started Maven in the"
            + " background without job control), so no child process can receive Ctrl-C; run mvn"
            + " in the foreground");
    LoopFiles files = new LoopFiles(dir).set("BUDGET", BUDGET).set("TIME_SCALE", "0.0003");
    try (VirtualLab lab = files.startLab()) {
      Path campaign = files.writeFor(lab);
      Path data = dir.resolve("data");

      Path log = dir.resolve("run-ctrl-c.log");
      Process run = start(dir, campaign, data, log);
      String inFlight;
      long tookMillis;
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    !run.isAlive()
                        || (count(data, "experiments WHERE status = 'DONE'") >= 2
                            && count(data, "steps WHERE status = 'STARTED'") >= 1));
        assertTrue(
            run.isAlive(), () -> "the run was still going at Ctrl-C; its output:\n" + tail(log));
        inFlight =
            query(
                data, "SELECT group_concat(step_id, ',') FROM steps WHERE status = 'STARTED'", "");
        long sent = System.nanoTime();
        RunProcesses.interrupt(run);
        assertTrue(
            run.waitFor(20, TimeUnit.SECONDS),
            () -> "the run left within 20 s of Ctrl-C; its output:\n" + tail(log));
        tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      } finally {
        run.destroyForcibly();
      }
      String output = Files.readString(log);
      assertEquals(
          ExitCodes.INTERRUPTED,
          run.exitValue(),
          () -> "the exit code of Ctrl-C; output:\n" + tail(log));
      assertTrue(
          output.contains("run the same command again to resume"),
          () -> "says how to resume:\n" + tail(log));

      List<ExperimentRecord> doneAtCtrlC;
      try (Store store = Store.open(StoreLocation.sqlite(data))) {
        RunRecord stopped = store.latestRun("loop-silver").orElseThrow();
        assertEquals(
            RunStatus.RUNNING, stopped.status(), "Ctrl-C leaves the run to be resumed, not ended");
        List<StepRecord> steps = store.steps(stopped.id());
        assertTrue(
            steps.stream().noneMatch(s -> s.status() == StepStatus.STARTED),
            () ->
                "every step in flight at Ctrl-C ("
                    + inFlight
                    + ") was answered and journaled: "
                    + steps);
        RunProcesses.assertNonIdempotentCommandsSentOnce(lab, steps);
        assertTrue(
            store.events(stopped.id()).stream().anyMatch(e -> e.kind() == EventKind.SHUTDOWN),
            "the stop is in the run's events");
        doneAtCtrlC =
            store.experiments(stopped.id()).stream()
                .filter(e -> e.status() == ExperimentStatus.DONE)
                .toList();
        assertTrue(
            doneAtCtrlC.size() >= 2, "experiments were done at Ctrl-C: " + doneAtCtrlC.size());
      }

      RunProcesses.runToTheEnd(dir, campaign, data, dir.resolve("run-resumed.log"));

      try (Store store = Store.open(StoreLocation.sqlite(data))) {
        RunRecord finished = RunProcesses.completedOnce(store, BUDGET);
        List<ExperimentRecord> experiments = store.experiments(finished.id());
        RunProcesses.assertStillDone(doneAtCtrlC, experiments);
        List<StepRecord> steps = store.steps(finished.id());
        RunProcesses.assertNonIdempotentCommandsSentOnce(lab, steps);
        assertTrue(
            experiments.stream().noneMatch(e -> e.status() == ExperimentStatus.INTERRUPTED),
            "a graceful stop interrupts no experiment: " + experiments);
        assertTrue(
            steps.stream().noneMatch(s -> s.status() == StepStatus.INTERRUPTED),
            "no step was left to re-send");
        String lastLine =
            output.lines().filter(l -> l.contains("resume")).reduce((a, b) -> b).orElse("");
        System.out.printf(
            "CtrlCResumeIT: SIGINT with %s in flight and %d experiments done; exit %d after %d ms, printed \"%s\";"
                + " resumed to %d of %d, robot received %d syntheses, %d journaled%n",
            inFlight,
            doneAtCtrlC.size(),
            run.exitValue(),
            tookMillis,
            lastLine.strip(),
            experiments.stream().filter(ExperimentRecord::reached).count(),
            BUDGET,
            lab.received("robot", "synthesize"),
            steps.stream()
                .filter(s -> s.command().equals("synthesize") && s.startedAt().isPresent())
                .count());
      }
    }
  }

  private static long count(Path data, String fromWhere) {
    return Long.parseLong(query(data, "SELECT COUNT(*) FROM " + fromWhere, "0"));
  }

  /** Whether this process inherited SIGINT as ignored (Linux: bit 2 of SigIgn in /proc). */
  private static boolean sigintIgnoredHere() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) return false;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        return (mask & (1L << 1)) != 0;
      }
    }
    return false;
  }
}
