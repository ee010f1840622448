package io.labloop.orchestrator.daemon;

import static io.labloop.orchestrator.daemon.DaemonIT.cli;
import static io.labloop.orchestrator.daemon.DaemonIT.resource;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10's acceptance on the virtual lab, through a real daemon: a two-objective campaign planned
 * by EHVI (the default for several objectives, with worst-acceptable values as the reference point)
 * into which a researcher puts their own conditions; both are visible in the exports and in {@code
 * labloop why}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParetoAndPeopleIT {
  private final ObjectMapper json = new ObjectMapper();
  private Path dir;
  private Daemon daemon;
  private LabLoopClient client;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("labloop-pareto-it");
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
  void ehviPlansTwoObjectivesAndAResearchersPointRunsMarkedAsHuman() throws Exception {
    CampaignView c = client.submit("pareto.yaml", resource("pareto.yaml"));

    // Points outside the space are refused with every reason, as for any suggestion.
    ApiProblem outside =
        assertThrows(
            ApiProblem.class, () -> client.suggest(c.id(), point(250.0, 10.0, 0.5, "water")));
    assertEquals(400, outside.status(), outside.getMessage());
    assertTrue(
        outside.problems().stream()
            .anyMatch(
                p ->
                    p.contains("temperature = 250.0 is not allowed (expected 40.0 to 200.0 degC)")),
        outside.problems()::toString);
    ApiProblem constrained =
        assertThrows(
            ApiProblem.class, () -> client.suggest(c.id(), point(150.0, 60.0, 0.5, "water")));
    assertTrue(
        constrained.problems().stream().anyMatch(p -> p.contains("temperature * time <= 6000")),
        constrained.problems()::toString);

    ExperimentView mine = client.suggest(c.id(), point(120.0, 10.0, 0.5, "ethanol"));
    assertEquals(120.0, ((Number) mine.requested().get("temperature")).doubleValue());

    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));
    List<ExperimentView> experiments = client.experiments(c.id());
    assertEquals(8, experiments.size(), "the researcher's point counts in the budget of 8");
    ExperimentView ran =
        experiments.stream().filter(e -> e.seq() == mine.seq()).findFirst().orElseThrow();
    assertEquals("DONE", ran.status(), ran::toString);
    assertTrue(ran.objectives().containsKey("fwhm"), ran::toString);

    // CSV: the column chosen_by says who chose each experiment.
    List<String> csv = client.export(c.id(), "csv").lines().toList();
    List<String> header = List.of(csv.get(0).split(","));
    int chosenBy = header.indexOf("chosen_by");
    assertTrue(chosenBy > 0, header::toString);
    List<String> choosers = new ArrayList<>();
    for (String line : csv.subList(1, csv.size())) {
      String[] cells = line.split(",", -1);
      choosers.add(cells[1] + ":" + cells[cells.length - 1]);
    }
    assertTrue(choosers.contains(mine.seq() + ":human"), choosers::toString);
    assertEquals(
        7, choosers.stream().filter(s -> s.endsWith(":bayesian")).count(), choosers::toString);

    // JSONL: the model-based decisions are EHVI's, with a prediction per objective and the
    // worst-acceptable values as the reference point; the researcher's decision is "human".
    int ehvi = 0;
    boolean human = false;
    for (String line : client.export(c.id(), "jsonl").lines().filter(l -> !l.isBlank()).toList()) {
      JsonNode n = json.readTree(line);
      JsonNode d = n.path("decision");
      if (d.isMissingNode()) continue;
      if (d.path("planner").asText().equals("human")) {
        human = true;
        assertTrue(d.path("reason").asText().startsWith("chosen by local"), d.toString());
      } else if (d.path("reason").asText().startsWith("EHVI")) {
        ehvi++;
        assertTrue(
            d.path("predicted_mean").has("fwhm") && d.path("predicted_mean").has("peak.distance"),
            d.toString());
        assertEquals(
            150.0, d.path("details").path("reference.peak").asDouble(), 1e-9, d.toString());
        assertEquals(
            300.0, d.path("details").path("reference.fwhm").asDouble(), 1e-9, d.toString());
      }
    }
    assertTrue(human, "the researcher's decision is exported");
    assertTrue(ehvi >= 3, "after the 4 initial points the model plans by EHVI: " + ehvi);

    // labloop why explains both kinds of decision.
    String data = dir.resolve("data").toString();
    DaemonIT.Cli whyMine =
        cli("why", "daemon-pareto", Integer.toString(mine.seq()), "--data", data);
    assertEquals(0, whyMine.code(), whyMine.err());
    assertTrue(whyMine.out().contains("chosen by: a person (chosen by local)"), whyMine.out());
    int modelled = experiments.stream().mapToInt(ExperimentView::seq).max().orElseThrow();
    if (modelled == mine.seq()) modelled--;
    DaemonIT.Cli whyModel = cli("why", "daemon-pareto", Integer.toString(modelled), "--data", data);
    assertEquals(0, whyModel.code(), whyModel.err());
    assertTrue(whyModel.out().contains("chosen by: bayesian planner"), whyModel.out());
    assertTrue(whyModel.out().contains("what matters (fitted length-scale"), whyModel.out());
    assertTrue(whyModel.out().contains("best alternative:"), whyModel.out());
  }

  private static Map<String, Object> point(
      double temperature, double time, double concentration, String solvent) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("temperature", temperature);
    p.put("time", time);
    p.put("concentration", concentration);
    p.put("solvent", solvent);
    return p;
  }
}
