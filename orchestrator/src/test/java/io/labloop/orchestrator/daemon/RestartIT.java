package io.labloop.orchestrator.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real {@code labloop daemon} process on the virtual lab, stopped mid-campaign with SIGKILL and
 * then with SIGTERM, and started again with the same command: the campaign resumes and completes
 * its budget, and what was DONE before each stop is still there, unchanged. A campaign whose
 * planned start fell while the daemon was down starts when it is back.
 */
class RestartIT {
  private DaemonProcesses daemons;
  private Path dir;

  @AfterEach
  void killLeftovers() {
    if (daemons != null) daemons.close();
  }

  @Test
  void aCampaignSurvivesSigkillAndSigterm() throws Exception {
    dir = Files.createTempDirectory("labloop-restart-it");
    Files.writeString(dir.resolve("lab.yaml"), DaemonIT.resource("lab.yaml"));
    Path data = dir.resolve("data");
    daemons = new DaemonProcesses(dir, dir.resolve("lab.yaml"));

    Process first = daemon(data);
    LabLoopClient client = client(data);
    CampaignView c = client.submit("restart.yaml", DaemonIT.resource("restart.yaml"));
    awaitDone(client, c.id(), 2);
    Map<Integer, String> beforeKill = doneValues(client, c.id());
    // A campaign planned for 3 s from now: its time comes while the daemon is down.
    ZonedDateTime due = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3);
    String cron =
        due.getSecond()
            + " "
            + due.getMinute()
            + " "
            + due.getHour()
            + " "
            + due.getDayOfMonth()
            + " "
            + due.getMonthValue()
            + " ?";
    String planned =
        DaemonIT.resource("campaign.yaml")
                .replace("campaign: daemon-silver", "campaign: daemon-planned")
                .replace("experiments: 4 }", "experiments: 1 }")
            + "schedule: \""
            + cron
            + "\"\n";
    assertEquals("SCHEDULED", client.submit("planned.yaml", planned).status());
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to tidy up
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));

    Process second = daemon(data);
    client = client(data); // a new port: the restarted daemon wrote a new DATA/url
    assertEquals("RUNNING", client.campaign(c.id()).status(), "resumed at start");
    assertDoneKept(beforeKill, doneValues(client, c.id()));
    LabLoopClient afterKill = client;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> afterKill.find("daemon-planned").status().equals("DONE"));
    awaitDone(client, c.id(), beforeKill.size() + 2);
    Map<Integer, String> beforeTerm = doneValues(client, c.id());
    second.destroy(); // SIGTERM: the graceful stop
    assertTrue(second.waitFor(60, TimeUnit.SECONDS));
    String log = Files.readString(dir.resolve("daemon.out"));
    assertTrue(log.contains("daemon stopped"), "the graceful stop ran to its end");

    daemon(data);
    LabLoopClient third = client(data);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> third.campaign(c.id()).status().equals("DONE"));
    CampaignView done = third.campaign(c.id());
    assertEquals(
        10,
        done.experimentsReached(),
        "the budget counts every experiment that reached an instrument");
    assertDoneKept(beforeTerm, doneValues(third, c.id()));
    List<ExperimentView> all = third.experiments(c.id());
    assertTrue(all.stream().filter(e -> e.status().equals("DONE")).count() >= 8, all::toString);
  }

  private static void assertDoneKept(Map<Integer, String> before, Map<Integer, String> after) {
    before.forEach(
        (seq, values) ->
            assertEquals(values, after.get(seq), "experiment #" + seq + " is unchanged"));
  }

  private static Map<Integer, String> doneValues(LabLoopClient client, String id) {
    return client.experiments(id).stream()
        .filter(e -> e.status().equals("DONE"))
        .collect(
            Collectors.toMap(ExperimentView::seq, e -> e.requested() + " -> " + e.objectives()));
  }

  private static void awaitDone(LabLoopClient client, String id, int n) {
    await().atMost(Duration.ofSeconds(90)).until(() -> doneValues(client, id).size() >= n);
  }

  private static LabLoopClient client(Path data) {
    return DaemonProcesses.client(data);
  }

  private Process daemon(Path data) throws IOException {
    return daemons.start(data);
  }
}
