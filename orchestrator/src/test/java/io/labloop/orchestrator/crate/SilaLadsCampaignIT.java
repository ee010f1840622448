package io.labloop.orchestrator.crate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.simulators.world.WorldModel;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's acceptance: a campaign whose robot is a SiLA 2 server and whose spectrometer is a LADS
 * device, each played by its own {@code labloop sim} process (one work folder, so the spectrometer
 * measures the samples the robot made), both with faults drawn at the rates their simulation blocks
 * give: the robot refuses, drops its connection, answers garbage and hangs; the spectrometer
 * refuses and drops its connection. The run completes; every DONE value matches the world model at
 * the achieved conditions; the run's RO-Crate is valid, leads each DONE value to the raw Allotrope
 * file and to the planner's decision, and imports back to the same observations.
 */
class SilaLadsCampaignIT {

  @TempDir Path dir;
  private final List<Process> sims = new ArrayList<>();

  private static final String SIMULATION =
      """
      simulation:
        seed: 11
        time-scale: 0.0002
        world: { model: silver-nanoparticles }
        instruments:
      %s
        faults:
      %s
      """;

  private static final String ROBOT =
      """
        robot:
          driver: sila2
          server: %s
          feature: org.labloop/virtuallab/SynthesisRobot/v1
      %s
          commands:
            synthesize:
              command: Synthesize
              parameters:
                Temperature: "{temperature}"
                Time: "{time}"
                Concentration: "{concentration}"
                Solvent: "{solvent}"
              responses: { sampleId: SampleId, actualTemperature: ActualTemperature }
              outputs: [sampleId, actualTemperature]
              timeout: 3s
      """;

  private static final String SPECTROMETER =
      """
        spectrometer:
          driver: lads
          endpoint: %s
          device: UVVis
          functional-unit: Spectrometer
          poll: 20ms
          commands:
            measure:
              program: UVVisScan
              properties: { sampleId: "{sampleId}" }
              outputs: [peak, fwhm]
              timeout: 5s
      """;

  private static final String CAMPAIGN =
      """
      campaign: sila-lads-silver
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
      budget: { experiments: 14 }
      """;

  @AfterEach
  void stopSims() throws InterruptedException {
    for (Process p : sims) p.toHandle().destroy();
    for (Process p : sims) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
  }

  @Test
  void aSilaRobotAndALadsSpectrometerInTheirOwnProcessesRunACampaignWithFaults() throws Exception {
    Path simData = dir.resolve("sim");
    Files.writeString(
        dir.resolve("sim-robot.yaml"),
        "lab: sila-robot\ninstruments:\n"
            + ROBOT.formatted("127.0.0.1:0", "")
            + SIMULATION.formatted(
                "    robot: { role: synthesizer, duration: 30m, noise: { temperature: 0.5 } }",
                "    robot: { refuse-rate: 0.1, disconnect-rate: 0.15, garbage-rate: 0.1, timeout-rate: 0.1 }"));
    Files.writeString(
        dir.resolve("sim-spectrometer.yaml"),
        "lab: lads-spectrometer\ninstruments:\n"
            + SPECTROMETER.formatted("opc.tcp://127.0.0.1:0/lads")
            + SIMULATION.formatted(
                "    spectrometer: { role: measurer, measures: [peak, fwhm], duration: 2m, noise: { peak: 0.5 } }",
                "    spectrometer: { refuse-rate: 0.1, disconnect-rate: 0.15 }"));
    String robotAddress = start(dir.resolve("sim-robot.yaml"), simData, "robot");
    String spectrometerAddress =
        start(dir.resolve("sim-spectrometer.yaml"), simData, "spectrometer");
    Path certificate = simData.resolve("virtual-lab").resolve("cert").resolve("sila2-robot.pem");
    assertTrue(Files.exists(certificate), "the SiLA 2 server keeps its certificate");
    Files.writeString(
        dir.resolve("lab.yaml"),
        "lab: sila-lads-lab\ninstruments:\n"
            + ROBOT.formatted(robotAddress, "    tls: { certificate: " + certificate + " }")
            + SPECTROMETER.formatted(spectrometerAddress));

    Path file = Files.writeString(dir.resolve("campaign.yaml"), CAMPAIGN);
    CampaignConfig campaign = ConfigLoader.standard().loadCampaign(file);
    Path data = dir.resolve("data");
    String runId;
    try (Lab lab = Lab.connect(campaign.lab(), Drivers.standard(), Duration.ofSeconds(120));
        Store store = Store.open(StoreLocation.sqlite(data))) {
      PlannerSpec spec = campaign.planner();
      CampaignEngine engine =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(seed -> Planners.create(new PlannerSpec(spec.type(), seed, spec.options())))
              .build();
      RunSummary s = engine.start().get(600, TimeUnit.SECONDS);
      runId = s.runId();
      assertEquals(RunStatus.COMPLETED, s.status());
      Set<String> kinds = new TreeSet<>();
      List<String> causes = new ArrayList<>();
      for (ExperimentRecord e : s.experiments()) {
        if (e.status() == ExperimentStatus.DONE) continue;
        String cause = e.cause().orElse("");
        causes.add(e.status() + " " + cause);
        kinds.add(cause.indexOf(':') < 0 ? cause : cause.substring(0, cause.indexOf(':')));
      }
      // what the seeded fault plans draw in this campaign: a fault of each kind but restart (which
      // Sila2DriverIT and LadsDriverIT cover), each failing its experiment and nothing else
      assertTrue(
          kinds.containsAll(List.of("refused", "disconnected", "bad-reply", "timeout")),
          "fault kinds met: " + kinds + " " + causes);

      WorldModel world = WorldModels.build(new WorldSpec.BuiltIn("silver-nanoparticles"), dir);
      List<ExperimentRecord> done =
          s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).toList();
      assertTrue(done.size() >= 4, "DONE experiments: " + done.size() + ", failures " + causes);
      for (ExperimentRecord e : done) {
        double truth =
            world.evaluate(new LinkedHashMap<>(e.achieved().orElseThrow().values())).get("peak");
        assertTrue(
            Math.abs(e.values().get("peak") - truth) < 2.5,
            "peak " + e.values().get("peak") + " vs world " + truth);
      }
    }

    Path crate = dir.resolve("sila-lads-silver.zip");
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
      assertTrue(new String(source.read("lab.yaml")).contains("driver: sila2"));
    }
    List<ObservationRecord> original;
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      original = store.observations(runId);
      for (ExperimentRecord e : store.experiments(runId)) {
        if (e.status() != ExperimentStatus.DONE) continue;
        String id = "#experiment/" + e.seq();
        List<String> result = CrateCheck.refs(g.get(id).get("result"));
        assertTrue(result.contains(id + "/value/peak"));
        assertTrue(
            result.stream().anyMatch(r -> r.startsWith("attachments/")), id + " has no raw file");
        assertEquals(id, g.get("#decision/" + e.seq()).get("result").get("@id").asText());
      }
    }
    assertEquals(0, Main.run("import", crate.toString(), "--data", dir.resolve("warm").toString()));
    try (Store warm = Store.open(StoreLocation.sqlite(dir.resolve("warm")))) {
      List<ObservationRecord> back =
          warm.observations(warm.latestRun("sila-lads-silver").orElseThrow().id());
      assertEquals(original.size(), back.size());
      for (int i = 0; i < back.size(); i++)
        assertEquals(original.get(i).observation(), back.get(i).observation());
    }
  }

  /**
   * Starts {@code labloop sim LAB --data DATA} in its own JVM and returns the address it prints for
   * the instrument.
   */
  private String start(Path labFile, Path data, String instrument) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "sim",
            labFile.toString(),
            "--data",
            data.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    sims.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String address = null;
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
      lines.add(line);
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[0].equals(instrument)) address = words[2];
    }
    assertTrue(line != null && address != null, "labloop sim did not come up: " + lines);
    // keep reading its output so that the child never blocks on a full pipe
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discard
                }
              } catch (java.io.IOException e) {
                // the child ended
              }
            },
            "sim-output-" + instrument);
    drain.setDaemon(true);
    drain.start();
    return address;
  }
}
