package io.labloop.orchestrator.crate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.EngineListener;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.world.WorldModel;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign whose spectrometer is a LADS device of the virtual lab (its own OPC UA server beside
 * the robot's): one measurement refused by the device and one whose connection drops fail their
 * experiments, the others match the world model; then the run's RO-Crate is valid, every DONE value
 * leads to the raw Allotrope file and the decision, and a re-import gives the same observations.
 */
class LadsCampaignCrateIT {

  @TempDir Path dir;

  private static final String LAB =
      """
      lab: lads-lab
      instruments:
        robot:
          driver: opcua
          endpoint: opc.tcp://127.0.0.1:0/labloop
          commands:
            synthesize:
              method: { object: "ns=2;s=Robot", method: "ns=2;s=Robot.Synthesize" }
              inputs: [temperature, time, concentration, solvent]
              outputs: [sampleId, actualTemperature]
              timeout: 10s
        spectrometer:
          driver: lads
          endpoint: opc.tcp://127.0.0.1:0/lads
          device: UVVis
          functional-unit: Spectrometer
          poll: 20ms
          commands:
            measure:
              program: UVVisScan
              properties: { sampleId: "{sampleId}" }
              outputs: [peak, fwhm]
              timeout: 5s
              idempotent: false
      simulation:
        seed: 5
        time-scale: 0.0002
        world: { model: silver-nanoparticles }
        instruments:
          robot:        { role: synthesizer, duration: 30m, noise: { temperature: 0.5 } }
          spectrometer: { role: measurer, measures: [peak, fwhm], duration: 2m, noise: { peak: 0.5 } }
      """;

  private static final String CAMPAIGN =
      """
      campaign: lads-silver
      lab: lab.yaml
      parameters:
        temperature:   { type: continuous, min: 40, max: 200, unit: degC }
        time:          { type: continuous, min: 1, max: 60, unit: min }
        concentration: { type: continuous, min: 0.1, max: 2.0, unit: mM }
        solvent:       { type: categorical, values: [water, ethanol] }
      workflow:
        - { instrument: robot, command: synthesize,
            args: { temperature: $temperature, time: $time, concentration: $concentration, solvent: $solvent } }
        - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
      objectives:
        - { name: peak, from: measure.peak, goal: target, value: 520, tolerance: 5, unit: nm }
      achieved: { temperature: synthesize.actualTemperature }
      planner: { type: sobol, seed: 7 }
      budget: { experiments: 6 }
      """;

  @Test
  void aLadsCampaignWithFaultsExportsAValidTraceableCrateThatImportsBack() throws Exception {
    Files.writeString(dir.resolve("lab.yaml"), LAB);
    Path file = Files.writeString(dir.resolve("campaign.yaml"), CAMPAIGN);
    CampaignConfig campaign = ConfigLoader.standard().loadCampaign(file);
    Path data = dir.resolve("data");
    String runId;
    try (VirtualLabs.Running sim =
            VirtualLabs.start(campaign.lab(), dir.resolve("sim"), Map.of(), false);
        Lab lab = Lab.connect(sim.config(), Drivers.standard(), Duration.ofSeconds(30));
        Store store = Store.open(StoreLocation.sqlite(data))) {
      PlannerSpec spec = campaign.planner();
      CampaignEngine engine =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(seed -> Planners.create(new PlannerSpec(spec.type(), seed, spec.options())))
              .build();
      engine.addListener(
          new EngineListener() {
            @Override
            public void onExperiment(ExperimentRecord e) {
              if (e.seq() == 1 && e.status() == ExperimentStatus.DONE)
                sim.virtualLab().faults("spectrometer").next(Fault.REFUSE, Fault.DISCONNECT);
            }
          });
      RunSummary s = engine.start().get(120, TimeUnit.SECONDS);
      runId = s.runId();
      assertEquals(RunStatus.COMPLETED, s.status());
      assertEquals(6, s.experiments().stream().filter(ExperimentRecord::reached).count());
      List<String> causes = new ArrayList<>();
      for (ExperimentRecord e : s.experiments()) {
        if (e.status() == ExperimentStatus.FAILED) causes.add(e.cause().orElseThrow());
      }
      assertEquals(2, causes.size(), causes.toString());
      assertTrue(
          causes.stream().anyMatch(c -> c.startsWith("refused") && c.contains("not allowed now")),
          causes.toString());
      assertTrue(causes.stream().anyMatch(c -> c.startsWith("disconnected")), causes.toString());

      WorldModel world = WorldModels.build(new WorldSpec.BuiltIn("silver-nanoparticles"), dir);
      List<ExperimentRecord> done =
          s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).toList();
      assertEquals(4, done.size());
      for (ExperimentRecord e : done) {
        double truth =
            world.evaluate(new LinkedHashMap<>(e.achieved().orElseThrow().values())).get("peak");
        assertTrue(
            Math.abs(e.values().get("peak") - truth) < 2.5,
            "peak " + e.values().get("peak") + " vs world " + truth);
      }
    }

    Path crate = dir.resolve("lads-silver.zip");
    assertEquals(
        0,
        Main.run(
            "export",
            file.toString(),
            "--data",
            data.toString(),
            "--format",
            "ro-crate",
            "--out",
            crate.toString()));
    Map<String, JsonNode> g = new HashMap<>();
    try (CrateFiles.Source source = CrateFiles.source(crate)) {
      assertEquals(List.of(), new CrateCheck().problems(source));
      for (JsonNode n :
          new ObjectMapper().readTree(source.read("ro-crate-metadata.json")).get("@graph"))
        g.put(n.get("@id").asText(), n);
      assertTrue(new String(source.read("lab.yaml")).contains("driver: lads"));
    }
    List<ObservationRecord> original;
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      original = store.observations(runId);
      for (ExperimentRecord e : store.experiments(runId)) {
        if (e.status() != ExperimentStatus.DONE) continue;
        String id = "#experiment/" + e.seq();
        List<String> result = CrateCheck.refs(g.get(id).get("result"));
        assertTrue(result.contains(id + "/value/peak"));
        String raw =
            result.stream()
                .filter(r -> r.startsWith("attachments/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " has no raw file"));
        assertEquals(
            "application/vnd.allotrope.asm+json", g.get(raw).get("encodingFormat").asText());
        assertEquals(id, g.get("#decision/" + e.seq()).get("result").get("@id").asText());
        assertEquals(
            "#instrument/spectrometer/command/measure",
            g.get(id + "/step/measure/1").get("instrument").get("@id").asText());
      }
    }
    assertEquals(0, Main.run("import", crate.toString(), "--data", dir.resolve("warm").toString()));
    try (Store warm = Store.open(StoreLocation.sqlite(dir.resolve("warm")))) {
      List<ObservationRecord> back =
          warm.observations(warm.latestRun("lads-silver").orElseThrow().id());
      assertEquals(original.size(), back.size());
      for (int i = 0; i < back.size(); i++) {
        assertEquals(original.get(i).observation(), back.get(i).observation());
        assertEquals(original.get(i).requested(), back.get(i).requested());
      }
    }
  }
}
