package io.labloop.orchestrator.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.client.LabLoopClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code on-interrupt: hold} end to end: a real {@code labloop daemon} process is SIGKILLed while
 * the robot's synthesis (not idempotent) is in flight; started again, it holds that experiment for
 * a person; the person releases it with {@code labloop release ... --retry}; the campaign goes on,
 * runs the held conditions again as a new experiment and completes its budget, and the held
 * synthesis is never sent twice.
 */
class HeldReleaseIT {
  private static final int BUDGET = 10;
  private DaemonProcesses daemons;

  @AfterEach
  void killLeftovers() {
    if (daemons != null) daemons.close();
  }

  @Test
  void aHeldExperimentIsReleasedForARetryAndTheCampaignCompletes() throws Exception {
    Path dir = Files.createTempDirectory("labloop-held-it");
    Files.writeString(dir.resolve("lab.yaml"), DaemonIT.resource("lab.yaml"));
    Path data = dir.resolve("data");
    String campaign =
        DaemonIT.resource("restart.yaml")
            .replace("campaign: daemon-restart", "campaign: daemon-held")
            .replace("experiments: 10", "experiments: " + BUDGET)
            .replace("on-interrupt: fail", "on-interrupt: hold");

    daemons = new DaemonProcesses(dir, dir.resolve("lab.yaml"));
    Process first = daemons.start(data);
    CampaignView c = DaemonProcesses.client(data).submit("held.yaml", campaign);
    // a synthesis takes 0.9 s on this lab: polling every 20 ms catches it in flight
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                count(
                        data,
                        "SELECT COUNT(*) FROM steps WHERE command = 'synthesize' AND status = 'STARTED' AND seq >= 2")
                    > 0);
    first.destroyForcibly(); // SIGKILL with the synthesis in flight
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    int heldSeq =
        (int)
            count(
                data,
                "SELECT MAX(seq) FROM steps WHERE command = 'synthesize' AND status = 'STARTED'");
    assertTrue(heldSeq >= 2, "the kill left a synthesis STARTED");

    daemons.start(data);
    LabLoopClient client = DaemonProcesses.client(data);
    // The resumed run goes on at once. Paused, it starts no new experiment, so the budget cannot
    // be used up by the other experiments while the checks below start their CLI processes (on a
    // loaded machine they took long enough for that, and the release then found no budget left).
    client.pause(c.id());
    ExperimentView held =
        client.experiments(c.id()).stream()
            .filter(e -> e.seq() == heldSeq)
            .findFirst()
            .orElseThrow();
    assertEquals("HELD", held.status(), held::toString);
    assertTrue(held.cause().contains("not idempotent"), held.cause());
    assertEquals(1, client.campaign(c.id()).experimentsHeld());
    assertTrue(
        client.events(c.id()).stream()
            .anyMatch(e -> e.kind().equals("held") && e.severity().equals("ALERT")));

    String n = Integer.toString(heldSeq);
    DaemonIT.Cli overview = DaemonIT.cli("status", "--data", data.toString());
    assertTrue(overview.out().contains("[1 held: labloop release " + c.id() + "]"), overview.out());
    DaemonIT.Cli status = DaemonIT.cli("status", "daemon-held", "--data", data.toString());
    assertTrue(
        status.out().contains("held #" + heldSeq + " ")
            && status
                .out()
                .contains(
                    "release: labloop release "
                        + c.id()
                        + " "
                        + n
                        + " --retry | --fail [--reason TEXT] | --value OBJECTIVE=NUMBER..."),
        status.out());
    assertTrue(
        DaemonIT.cli("release", "daemon-held", "--data", data.toString())
            .out()
            .contains("held #" + heldSeq + " "));
    DaemonIT.Cli undecided = DaemonIT.cli("release", "daemon-held", n, "--data", data.toString());
    assertEquals(2, undecided.code());
    assertTrue(undecided.err().contains("--retry, --fail or --value"), undecided.err());

    DaemonIT.Cli release =
        DaemonIT.cli(
            "release",
            "daemon-held",
            n,
            "--retry",
            "--reason",
            "vial was empty",
            "--data",
            data.toString());
    assertEquals(0, release.code(), release.err());
    assertTrue(
        release
            .out()
            .startsWith("released #" + n + " of " + c.id() + ": its conditions run again as #"),
        release.out());
    client.resume(c.id());

    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));
    CampaignView done = client.campaign(c.id());
    assertEquals(BUDGET, done.experimentsReached(), "the retry counted against the budget");
    assertEquals(0, done.experimentsHeld());
    List<ExperimentView> all = client.experiments(c.id());
    ExperimentView released =
        all.stream().filter(e -> e.seq() == heldSeq).findFirst().orElseThrow();
    assertEquals("INTERRUPTED", released.status());
    ExperimentView retry =
        all.stream()
            .filter(e -> Integer.valueOf(heldSeq).equals(e.retryOf()))
            .findFirst()
            .orElseThrow();
    assertTrue(
        released
            .cause()
            .startsWith("retried as #" + retry.seq() + " after a hold: local: vial was empty"),
        released.cause());
    assertEquals("DONE", retry.status(), retry::toString);
    assertEquals(held.requested(), retry.requested(), "the same conditions ran again");
    assertEquals(
        2,
        all.stream().filter(e -> e.requested().equals(held.requested())).count(),
        "while held, the planner saw the point as pending and did not suggest it again: only the retry repeats it");
    assertEquals(
        0,
        count(
            data,
            "SELECT COUNT(*) FROM steps WHERE command = 'synthesize' AND seq = "
                + heldSeq
                + " AND attempt > 1"),
        "the held synthesis itself was never sent again");
    List<EventView> audit =
        client.events(c.id()).stream().filter(e -> e.kind().equals("audit")).toList();
    assertTrue(
        audit.stream()
            .anyMatch(
                e ->
                    e.message()
                        .equals(
                            "local: released experiment #"
                                + heldSeq
                                + " for a retry as #"
                                + retry.seq()
                                + " (vial was empty)")),
        audit::toString);
    ApiProblem twice =
        assertThrows(
            ApiProblem.class, () -> client.release(c.id(), heldSeq, "fail", null, Map.of()));
    assertEquals(409, twice.status());
    assertTrue(twice.detail().contains("not HELD"), twice.detail());
  }

  private static long count(Path data, String sql) {
    Path db = data.resolve("labloop.db");
    if (!Files.exists(db)) return 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?open_mode=1");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (java.sql.SQLException e) {
      return 0; // the schema is not there yet
    }
  }
}
