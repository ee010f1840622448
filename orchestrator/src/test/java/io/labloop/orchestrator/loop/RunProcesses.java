package io.labloop.orchestrator.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.childjvm.ChildJvm;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.simulators.VirtualLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code labloop run CAMPAIGN --data DATA} child processes for the tests that stop them the
 * hard way (SIGKILL) or the user's way (Ctrl-C), and what those tests read while a child runs: its
 * SQLite store, read-only over plain JDBC so that the reader never migrates or locks it, and the
 * tail of its output.
 */
final class RunProcesses {

  private RunProcesses() {}

  /**
   * Starts {@code labloop run CAMPAIGN --data DATA} with this JVM's class path, in {@code dir},
   * output to {@code log}.
   */
  static Process start(Path dir, Path campaign, Path data, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            ChildJvm.labloop(
                List.of("-Xmx384m"),
                List.of("run", campaign.toString(), "--data", data.toString())));
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  /** Runs the same command again and waits for it to finish its run and exit 0. */
  static void runToTheEnd(Path dir, Path campaign, Path data, Path log)
      throws IOException, InterruptedException {
    Process p = start(dir, campaign, data, log);
    try {
      assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the resumed run finishes");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), () -> tail(log));
  }

  /**
   * The test campaign's run: the only one (the same command always resumed it), COMPLETED, its
   * budget reached.
   */
  static RunRecord completedOnce(Store store, int budget) {
    assertEquals(
        1, store.runs("loop-silver").size(), "the same command always resumed the same run");
    RunRecord run = store.latestRun("loop-silver").orElseThrow();
    assertEquals(RunStatus.COMPLETED, run.status());
    assertEquals(
        budget,
        store.experiments(run.id()).stream().filter(ExperimentRecord::reached).count(),
        "the budget completes");
    return run;
  }

  /**
   * Sends SIGINT, what a terminal sends on Ctrl-C ({@link Process#destroy()} sends SIGTERM). {@code
   * kill} is the POSIX command every system the tests run on has.
   */
  static void interrupt(Process p) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException(
          "kill -INT " + p.pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /**
   * Journal transitions so far: each step row counts once when STARTED and once more when it ended.
   */
  static long transitions(Path data) {
    return Long.parseLong(
        query(
            data,
            "SELECT COUNT(*) + COALESCE(SUM(CASE WHEN status <> 'STARTED' THEN 1 ELSE 0 END), 0) FROM steps",
            "0"));
  }

  static String runStatus(Path data) {
    return query(data, "SELECT status FROM runs", "none");
  }

  /**
   * The first column of the first row of {@code sql} on DATA/labloop.db, or {@code otherwise}
   * before the schema exists.
   */
  static String query(Path data, String sql, String otherwise) {
    Path db = data.resolve("labloop.db");
    if (!Files.exists(db)) return otherwise;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1) : otherwise;
    } catch (SQLException e) {
      return otherwise; // the schema is not there yet
    }
  }

  /** Every experiment DONE before is still DONE, with the same values and achieved conditions. */
  static void assertStillDone(Collection<ExperimentRecord> doneBefore, List<ExperimentRecord> now) {
    Map<Integer, ExperimentRecord> bySeq = new HashMap<>();
    now.forEach(e -> bySeq.put(e.seq(), e));
    for (ExperimentRecord before : doneBefore) {
      ExperimentRecord after = bySeq.get(before.seq());
      assertEquals(
          ExperimentStatus.DONE, after.status(), "experiment #" + before.seq() + " is still done");
      assertEquals(
          before.values(), after.values(), "experiment #" + before.seq() + " kept its values");
      assertEquals(
          before.achieved(),
          after.achieved(),
          "experiment #" + before.seq() + " kept its achieved conditions");
    }
  }

  /**
   * No non-idempotent command of the test lab (robot.synthesize, xrd.scan) was journaled as a
   * second attempt, and the virtual instruments received each argument set at most as often as it
   * was journaled STARTED. Counted per argument set because the planner may suggest an interrupted
   * point again as a new experiment.
   */
  static void assertNonIdempotentCommandsSentOnce(VirtualLab lab, List<StepRecord> steps) {
    for (String[] c : new String[][] {{"robot", "synthesize"}, {"xrd", "scan"}}) {
      assertTrue(
          steps.stream().noneMatch(s -> s.command().equals(c[1]) && s.attempt() > 1),
          c[1] + " is never sent a second time");
      Map<String, Long> received = new HashMap<>();
      lab.journal(c[0]).stream()
          .filter(r -> r.command().equals(c[1]))
          .forEach(r -> received.merge(key(r.arguments()), 1L, Long::sum));
      Map<String, Long> journaled = new HashMap<>();
      steps.stream()
          .filter(s -> s.command().equals(c[1]) && s.startedAt().isPresent())
          .forEach(s -> journaled.merge(key(s.arguments()), 1L, Long::sum));
      received.forEach(
          (args, n) ->
              assertTrue(
                  n <= journaled.getOrDefault(args, 0L),
                  c[0]
                      + " received "
                      + c[1]
                      + " "
                      + args
                      + " "
                      + n
                      + " times but it was journaled "
                      + journaled.getOrDefault(args, 0L)));
    }
  }

  /** Arguments as text, numbers compared as doubles whatever type the protocol gave them. */
  private static String key(Map<String, Object> arguments) {
    TreeMap<String, String> sorted = new TreeMap<>();
    arguments.forEach(
        (k, v) ->
            sorted.put(
                k, v instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(v)));
    return sorted.toString();
  }

  /** The last 40 lines a child printed, for assertion messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
