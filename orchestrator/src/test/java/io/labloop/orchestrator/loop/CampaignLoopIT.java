package io.labloop.orchestrator.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.simulators.world.WorldModel;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labloop run --sim} end to end: robot on OPC UA, spectrometer on a serial pty, XRD on MQTT
 * 5, the Bayesian planner, 30 experiments; then the stored data against the world model and both
 * exports.
 */
class CampaignLoopIT {

  @TempDir Path dir;

  @Test
  void thirtyExperimentsOverThreeProtocolsMatchTheWorldAndExportCleanly() throws Exception {
    Path campaign = new LoopFiles(dir).set("BUDGET", 30).write();
    Path data = dir.resolve("data");
    long t0 = System.nanoTime();
    int exit = Main.run("run", campaign.toString(), "--sim", "--data", data.toString());
    long runMillis = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, exit);

    List<ExperimentRecord> experiments;
    RunRecord run;
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      run = store.latestRun("loop-silver").orElseThrow();
      assertEquals(RunStatus.COMPLETED, run.status());
      experiments = store.experiments(run.id());
      assertEquals(
          30,
          experiments.stream().filter(ExperimentRecord::reached).count(),
          "the budget counts what reached an instrument");
      assertEquals(
          experiments.stream().filter(e -> e.status() == ExperimentStatus.DONE).count(),
          store.observations(run.id()).size());
      assertTrue(
          store.decisions(run.id()).values().stream()
              .anyMatch(d -> d.planner().equals("bayesian") && !Double.isNaN(d.acquisition())),
          "after the initial design the Bayesian model chose points");
    }
    List<ExperimentRecord> done =
        experiments.stream().filter(e -> e.status() == ExperimentStatus.DONE).toList();
    assertTrue(
        done.size() >= 28,
        "at most a couple of experiments may fail on a clean virtual lab: " + done.size());

    // The virtual world, evaluated directly at the conditions the robot reports it achieved.
    WorldModel world = WorldModels.build(new WorldSpec.BuiltIn("silver-nanoparticles"), dir);
    double worstPeak = 0;
    double worstCrystallinity = 0;
    for (ExperimentRecord e : done) {
      Map<String, Object> achieved = new LinkedHashMap<>(e.achieved().orElseThrow().values());
      assertTrue(
          Math.abs(
                  achieved.get("temperature") instanceof Double a
                      ? a - e.requested().number("temperature")
                      : 0)
              < 3,
          "achieved temperature stays within the robot's noise of the request");
      Map<String, Double> truth = world.evaluate(achieved);
      worstPeak = Math.max(worstPeak, Math.abs(e.values().get("peak") - truth.get("peak")));
      worstCrystallinity =
          Math.max(
              worstCrystallinity,
              Math.abs(e.values().get("crystallinity") - truth.get("crystallinity")));
    }
    // noise sd: peak 0.5 nm, crystallinity 0.01; 5 sd over 30 draws essentially never happens
    assertTrue(worstPeak < 2.5, "peak within noise of the world model, worst " + worstPeak);
    assertTrue(
        worstCrystallinity < 0.05,
        "crystallinity within noise of the world model, worst " + worstCrystallinity);

    // CSV: header with units, one row per experiment, values as stored
    Path csv = dir.resolve("out.csv");
    assertEquals(
        0,
        Main.run(
            "export",
            campaign.toString(),
            "--data",
            data.toString(),
            "--format",
            "csv",
            "--out",
            csv.toString()));
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    assertEquals(
        List.of(
            "run",
            "experiment",
            "status",
            "temperature [degC]",
            "temperature achieved [degC]",
            "time [min]",
            "concentration [mM]",
            "solvent",
            "peak [nm]",
            "crystallinity",
            "planned_at",
            "started_at",
            "ended_at",
            "cause",
            "retry_of",
            "chosen_by"),
        header);
    assertEquals(experiments.size() + 1, lines.size());
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      ExperimentRecord e = experiments.get(i - 1);
      assertEquals(e.seq(), Integer.parseInt(cells[1]));
      assertEquals(e.status().name(), cells[2]);
      assertEquals(e.requested().number("temperature"), Double.parseDouble(cells[3]));
      if (e.status() == ExperimentStatus.DONE) {
        assertEquals(e.values().get("peak"), Double.parseDouble(cells[8]));
        java.time.Instant.parse(cells[12]); // ISO-8601
      }
    }

    // JSONL: the run with its exact campaign text, then every experiment with its steps and
    // decision
    Path jsonl = dir.resolve("out.jsonl");
    assertEquals(
        0,
        Main.run(
            "export",
            "loop-silver",
            "--data",
            data.toString(),
            "--format",
            "jsonl",
            "--out",
            jsonl.toString()));
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) nodes.add(json.readTree(l));
    JsonNode head = nodes.get(0);
    assertEquals("run", head.get("type").asText());
    assertEquals(Files.readString(campaign), head.get("campaign_yaml").asText());
    assertEquals(run.campaignSha256(), head.get("campaign_sha256").asText());
    List<JsonNode> rows =
        nodes.stream().filter(n -> n.get("type").asText().equals("experiment")).toList();
    assertEquals(experiments.size(), rows.size());
    for (JsonNode r : rows) {
      if (!r.get("status").asText().equals("DONE")) continue;
      assertEquals(3, r.get("steps").size());
      assertEquals("robot", r.get("steps").get(0).get("instrument").asText());
      assertTrue(r.get("decision").get("planner").asText().length() > 0);
      assertTrue(r.get("steps").get(1).get("outputs").has("peak"));
    }
    System.out.printf(
        "CampaignLoopIT: 30 experiments in %d ms, %d done, worst |peak - model| %.3f nm, worst |crystallinity - model| %.4f%n",
        runMillis, done.size(), worstPeak, worstCrystallinity);
  }
}
