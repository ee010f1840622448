package io.labloop.orchestrator.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.orchestrator.store.TemporaryPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole daemon on a PostgreSQL store (a real server started for the test from the machine's
 * binaries): submit, run on the virtual lab, inspect and export through the API, with nothing
 * written to a SQLite file; then a daemon stopped mid-campaign and started again on the same
 * database resumes the run and completes its budget with the DONE data unchanged. Quartz uses its
 * clustered JDBC job store on the same database.
 */
class DaemonPostgresIT {
  private static TemporaryPostgres postgres;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = TemporaryPostgres.shared();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) postgres.close();
  }

  private static DaemonConfig config(Path dir, String url) {
    Path lab = dir.resolve("lab.yaml");
    DaemonConfig defaults = DaemonConfig.defaults(lab, dir.resolve("data"));
    return new DaemonConfig(
        lab,
        dir,
        dir.resolve("data"),
        true,
        "127.0.0.1",
        0,
        64 * 1024,
        Optional.empty(),
        Map.of(),
        Optional.of(new DaemonConfig.StoreUrl(url, "labloop", "")),
        Duration.ofSeconds(5),
        List.of(),
        defaults.zone(),
        Duration.ofSeconds(20));
  }

  @Test
  void submitRunInspectExportAndResumeOnPostgres() throws Exception {
    String url = postgres.newDatabase("daemon");
    Path dir = Files.createTempDirectory("labloop-daemon-pg-it");
    Files.writeString(dir.resolve("lab.yaml"), DaemonIT.resource("lab.yaml"));
    Path data = dir.resolve("data");

    Daemon first = Daemon.start(config(dir, url), Map.of(), "it");
    Map<Integer, String> beforeStop;
    String resumedId;
    try {
      LabLoopClient client = new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
      CampaignView c = client.submit("campaign.yaml", DaemonIT.resource("campaign.yaml"));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> client.campaign(c.id()).status().equals("DONE"));
      List<ExperimentView> experiments = client.experiments(c.id());
      assertEquals(4, experiments.size());
      for (ExperimentView e : experiments) {
        assertEquals("DONE", e.status(), e::toString);
        double peak = e.objectives().get("peak");
        assertTrue(peak > 300 && peak < 800, "a plasmon peak in nm: " + peak);
      }
      assertEquals(4, client.observations(c.id()).size());
      List<String> csv = client.export(c.id(), "csv").lines().toList();
      assertEquals(5, csv.size(), String.join("\n", csv));
      assertTrue(csv.get(0).contains("temperature") && csv.get(0).contains("peak"), csv.get(0));
      List<String> jsonl =
          client.export(c.id(), "jsonl").lines().filter(l -> !l.isBlank()).toList();
      assertTrue(jsonl.size() >= 4);
      for (String l : jsonl) json.readTree(l);
      assertFalse(Files.exists(data.resolve("labloop.db")), "nothing went to a SQLite file");

      // a longer campaign, stopped mid-way (as SIGTERM does) and resumed by the next daemon
      CampaignView longer = client.submit("restart.yaml", DaemonIT.resource("restart.yaml"));
      resumedId = longer.id();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> doneValues(client, longer.id()).size() >= 2);
      beforeStop = doneValues(client, longer.id());
    } finally {
      first.close();
    }
    try (Store pg = Store.open(StoreLocation.jdbc(url, "labloop", "", dir.resolve("check")))) {
      assertEquals(
          RunStatus.COMPLETED,
          pg.latestRun("daemon-silver").orElseThrow().status(),
          "the runs are in PostgreSQL");
      assertEquals(
          RunStatus.RUNNING,
          pg.run(RunId.fromApi(resumedId).orElseThrow().toString()).orElseThrow().status(),
          "left to resume");
    }
    Daemon second = Daemon.start(config(dir, url), Map.of(), "it");
    try {
      assertEquals(List.of(RunId.fromApi(resumedId).orElseThrow().toString()), second.resumed());
      LabLoopClient client = new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> client.campaign(resumedId).status().equals("DONE"));
      assertEquals(
          10,
          client.campaign(resumedId).experimentsReached(),
          "the budget completes after the restart");
      Map<Integer, String> after = doneValues(client, resumedId);
      beforeStop.forEach(
          (seq, values) ->
              assertEquals(values, after.get(seq), "experiment #" + seq + " is unchanged"));
      assertTrue(
          client.campaigns().stream().anyMatch(v -> v.name().equals("daemon-silver")),
          "the first campaign is still listed");
    } finally {
      second.close();
    }
  }

  private static Map<Integer, String> doneValues(LabLoopClient client, String id) {
    return client.experiments(id).stream()
        .filter(e -> e.status().equals("DONE"))
        .collect(
            Collectors.toMap(ExperimentView::seq, e -> e.requested() + " -> " + e.objectives()));
  }
}
