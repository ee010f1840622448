package io.labloop.orchestrator.daemon;

import static io.labloop.orchestrator.daemon.DaemonIT.resource;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10's warm start on the virtual lab, through a real daemon: a first campaign runs; a second
 * takes the first's observations from the store ({@code { campaign: NAME }}) and the first's CSV
 * export as a file of another task ({@code { file: earlier.csv, task: earlier-batch }}). The second
 * campaign's budget is its own experiments only, its model plans from its first experiment, and its
 * exported decisions say how many prior points the model had and how far the tasks agreed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarmStartIT {
  private final ObjectMapper json = new ObjectMapper();
  private Path dir;
  private Daemon daemon;
  private LabLoopClient client;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("labloop-warm-it");
    Path labFile = dir.resolve("lab.yaml");
    Files.writeString(labFile, resource("lab.yaml"));
    DaemonConfig defaults = DaemonConfig.defaults(labFile, dir.resolve("data"));
    DaemonConfig config =
        new DaemonConfig(
            labFile,
            dir,
            dir.resolve("data"),
            true,
            "127.0.0.1",
            0,
            64 * 1024,
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Duration.ofSeconds(5),
            List.of(),
            defaults.zone(),
            Duration.ofSeconds(20));
    daemon = Daemon.start(config, Map.of(), "it");
    client = new LabLoopClient(ClientSettings.resolve(null, null, dir.resolve("data"), Map.of()));
  }

  @AfterAll
  void stop() {
    if (daemon != null) daemon.close();
  }

  @Test
  void aCampaignWarmStartedFromAnEarlierCampaignAndAFilePlansFromItsFirstExperiment()
      throws Exception {
    CampaignView first = client.submit("warm-first.yaml", resource("warm-first.yaml"));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> client.campaign(first.id()).status().equals("DONE"));
    // The first campaign's export, as a researcher would keep it, is the second's file.
    Files.writeString(dir.resolve("earlier.csv"), client.export(first.id(), "csv"));

    CampaignView second = client.submit("warm-second.yaml", resource("warm-second.yaml"));
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> client.campaign(second.id()).status().equals("DONE"));

    assertEquals(
        3, client.experiments(second.id()).size(), "prior data do not count in the budget of 3");
    List<JsonNode> decisions = new ArrayList<>();
    for (String line :
        client.export(second.id(), "jsonl").lines().filter(l -> !l.isBlank()).toList()) {
      JsonNode d = json.readTree(line).path("decision");
      if (!d.isMissingNode()) decisions.add(d);
    }
    assertEquals(3, decisions.size(), decisions::toString);
    for (JsonNode d : decisions) {
      assertFalse(d.path("reason").asText().contains("initial design"), d.toString());
      assertEquals(12.0, d.path("details").path("prior.points").asDouble(), 1e-9, d.toString());
      double agreement = d.path("details").path("task.agreement.earlier-batch").asDouble(-2);
      // The file holds the very same measurements as the campaign: the model finds them alike.
      assertTrue(agreement > 0.5, "agreement " + agreement + " in " + d);
    }
  }
}
