package io.labloop.orchestrator.crate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with every fate an experiment can have (done with raw data, failed on a bad reply, held
 * after a crash and released by hand as a retry, awaiting approval) written as an RO-Crate, checked
 * against RO-Crate 1.1 and the Workflow Run profiles, traced from each DONE value to its raw data
 * and decision, and imported back.
 */
class CampaignCrateTest {

  @TempDir Path dir;

  private static final String CAMPAIGN =
      """
      campaign: silver
      lab: lab.yaml
      parameters:
        temperature: { type: continuous, min: 40, max: 200, unit: degC }
        solvent: { type: categorical, values: [water, "ethanol, dry"] }
      objectives:
        - { name: peak, from: measure.peak, goal: maximize, unit: nm }
      achieved: { temperature: synthesize.actualTemperature }
      approval: manual
      """;
  private static final String LAB =
      """
      lab: bench
      instruments:
        robot: { driver: opcua }
        spectrometer: { driver: lads }
      """;
  private static final byte[] SPECTRUM =
      "wavelength,absorbance\n400,0.1\n520,0.9\n".getBytes(StandardCharsets.UTF_8);
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aFolderCrateIsValidRoCrateAndWorkflowRunCrate() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      RunRecord run = recordedRun(store);
      Path out = dir.resolve("crate");
      new CampaignCrate(
              store, run, Optional.of(LAB), "0.1.0-test", Instant.parse("2026-12-04T16:00:00Z"))
          .write(out);
      try (CrateFiles.Source s = CrateFiles.source(out)) {
        assertEquals(List.of(), new CrateCheck().problems(s));
      }
      assertEquals(LAB, Files.readString(out.resolve("lab.yaml")));
      assertEquals(CAMPAIGN, Files.readString(out.resolve("campaign.yaml")));
      assertTrue(
          Files.readString(out.resolve("observations.csv"))
              .startsWith("run,experiment,status,temperature [degC],"));
    }
  }

  @Test
  void aZipCrateIsValidToo() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      RunRecord run = recordedRun(store);
      Path out = dir.resolve("silver.zip");
      new CampaignCrate(store, run, Optional.empty(), "0.1.0-test", Instant.now()).write(out);
      try (CrateFiles.Source s = CrateFiles.source(out)) {
        assertEquals(List.of(), new CrateCheck().problems(s));
        assertTrue(
            s.read("attachments/" + CampaignCrate.sha256(SPECTRUM)).length == SPECTRUM.length);
      }
    }
  }

  @Test
  void theCheckFindsWhatABrokenCrateLacks() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      Path out = dir.resolve("crate");
      new CampaignCrate(store, recordedRun(store), Optional.empty(), "0.1.0-test", Instant.now())
          .write(out);
      ObjectNode doc = (ObjectNode) json.readTree(out.resolve("ro-crate-metadata.json").toFile());
      for (JsonNode n : doc.get("@graph")) {
        if (n.get("@id").asText().equals("./")) ((ObjectNode) n).remove("conformsTo");
        if (n.get("@id").asText().equals("#experiment/1"))
          ((ObjectNode) n).put("labloopStatus", "DONE").remove("instrument");
      }
      ((ArrayNode) doc.get("@graph"))
          .addObject()
          .put("@id", "#x")
          .put("@type", "Spreadsheet")
          .putObject("about")
          .put("name", "nested");
      Files.write(out.resolve("ro-crate-metadata.json"), json.writeValueAsBytes(doc));
      Files.writeString(out.resolve("campaign.yaml"), CAMPAIGN + "# edited\n");
      try (CrateFiles.Source s = CrateFiles.source(out)) {
        String problems = String.join("\n", new CrateCheck().problems(s));
        assertTrue(
            problems.contains("root does not conform to " + CampaignCrate.WORKFLOW_RUN), problems);
        assertTrue(
            problems.contains("#experiment/1: property labloopStatus is not a term of the context"),
            problems);
        assertTrue(problems.contains("#experiment/1 has no instrument"), problems);
        assertTrue(
            problems.contains("#x: type Spreadsheet is not a term of the context"), problems);
        assertTrue(problems.contains("#x: about nests an object"), problems);
        assertTrue(problems.contains("campaign.yaml does not have the sha256 it claims"), problems);
      }
    }
  }

  @Test
  void everyDoneValueLeadsToItsRawDataDecisionAndApprover() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      Path out = dir.resolve("crate");
      new CampaignCrate(store, recordedRun(store), Optional.of(LAB), "0.1.0-test", Instant.now())
          .write(out);
      Map<String, JsonNode> g = graph(out);

      for (String done : List.of("#experiment/1", "#experiment/4")) {
        JsonNode e = g.get(done);
        assertEquals("CompletedActionStatus", e.get("actionStatus").asText());
        assertEquals("campaign.yaml", e.get("instrument").get("@id").asText());
        JsonNode peak = g.get(done + "/value/peak");
        assertEquals("nm", peak.get("unitText").asText());
        assertTrue(CrateCheck.refs(e.get("result")).contains(done + "/value/peak"));
        // raw data: the spectrum file is a result of the experiment and of its measure step, by
        // SHA-256
        String raw = "attachments/" + CampaignCrate.sha256(SPECTRUM);
        assertTrue(
            CrateCheck.refs(e.get("result")).contains(raw), done + " result lacks its raw file");
        assertEquals(
            CampaignCrate.sha256(Files.readAllBytes(out.resolve(raw))),
            g.get(raw).get("sha256").asText());
        // decision: a ChooseAction whose result is the experiment
        int seq = Integer.parseInt(done.substring(done.lastIndexOf('/') + 1));
        JsonNode decision = g.get("#decision/" + seq);
        assertEquals(done, decision.get("result").get("@id").asText());
        // the step that sent the command: instrument command, arguments sent, times
        JsonNode synth = g.get(done + "/step/synthesize/1");
        assertEquals(
            "#instrument/robot/command/synthesize", synth.get("instrument").get("@id").asText());
        assertEquals(
            seq == 1 ? 120.0 : 150.0,
            g.get(done + "/step/synthesize/1/argument/temperature").get("value").asDouble());
        assertNotNull(synth.get("startTime"));
      }
      assertEquals(519.5, g.get("#decision/1/predicted-mean/peak").get("value").asDouble());
      assertEquals(119.5, g.get("#experiment/1/achieved/temperature").get("value").asDouble());
      assertEquals("degC", g.get("#experiment/1/achieved/temperature").get("unitText").asText());
      assertEquals("#person/alice", g.get("#approval/1").get("agent").get("@id").asText());
      assertEquals("alice", g.get("#person/alice").get("name").asText());
      assertTrue(g.get("#labloop").get("softwareVersion").asText().equals("0.1.0-test"));
      assertTrue(
          g.get("#instrument/spectrometer").get("description").asText().contains("lads driver"));

      // planned beside what ran: the failed, the held-and-released, its retry, the one never
      // approved
      JsonNode failed = g.get("#experiment/2");
      assertEquals("FailedActionStatus", failed.get("actionStatus").asText());
      assertTrue(failed.get("error").asText().startsWith("bad-reply"));
      assertEquals(
          "bad-reply: reply 'x' did not match",
          g.get("#experiment/2/step/measure/1").get("error").asText());
      JsonNode held = g.get("#experiment/3");
      assertEquals("FailedActionStatus", held.get("actionStatus").asText());
      assertTrue(
          held.get("description").asText().contains("bob: released experiment #3"),
          held.get("description").asText());
      assertEquals(
          "FailedActionStatus",
          g.get("#experiment/3/step/synthesize/1").get("actionStatus").asText());
      assertTrue(
          g.get("#experiment/4")
              .get("description")
              .asText()
              .contains("runs again the conditions of experiment #3"));
      assertEquals("PotentialActionStatus", g.get("#experiment/5").get("actionStatus").asText());
      assertFalse(g.containsKey("#approval/5"), "an experiment awaiting approval is not approved");
    }
  }

  @Test
  void anImportedCrateHoldsTheSameObservationsInTheSameOrder() throws Exception {
    for (String name : List.of("crate", "crate.zip")) {
      List<ObservationRecord> original;
      Path out = dir.resolve(name);
      try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data-" + name)))) {
        RunRecord run = recordedRun(store);
        original = store.observations(run.id());
        new CampaignCrate(store, run, Optional.of(LAB), "0.1.0-test", Instant.now()).write(out);
      }
      try (Store fresh = Store.open(StoreLocation.sqlite(dir.resolve("fresh-" + name)))) {
        CrateImport.Result r = new CrateImport().into(fresh, out);
        assertEquals("silver/1", r.runId());
        assertEquals(3, r.observations());
        List<ObservationRecord> back = fresh.observations(r.runId());
        assertEquals(original.size(), back.size());
        for (int i = 0; i < original.size(); i++) {
          assertEquals(original.get(i).seq(), back.get(i).seq());
          assertEquals(original.get(i).observation(), back.get(i).observation());
          assertEquals(original.get(i).requested(), back.get(i).requested());
        }
        // the same campaign text, so 'labloop run' of the same file resumes the imported run
        RunRecord imported = fresh.run(r.runId()).orElseThrow();
        assertEquals(CAMPAIGN, fresh.campaignText(imported.campaignSha256()).orElseThrow());
        assertEquals(io.labloop.orchestrator.store.RunStatus.RUNNING, imported.status());
        assertTrue(
            fresh.experiments(r.runId()).stream().noneMatch(e -> e.reached()),
            "imported experiments use no budget");
      }
    }
  }

  @Test
  void theCommandsExportAndImportAndRefuseWhatIsNotACrate() throws Exception {
    Path data = dir.resolve("data");
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      recordedRun(store);
    }
    Path zip = dir.resolve("out/silver.zip");
    assertEquals(
        0,
        Main.run(
            "export",
            "silver",
            "--data",
            data.toString(),
            "--format",
            "ro-crate",
            "--out",
            zip.toString()));
    assertEquals(0, Main.run("import", zip.toString(), "--data", dir.resolve("other").toString()));
    try (Store other = Store.open(StoreLocation.sqlite(dir.resolve("other")))) {
      assertEquals(3, other.observations("silver/1").size());
    }
    assertEquals(
        2, Main.run("export", "silver", "--data", data.toString(), "--format", "ro-crate"));
    Path notCrate = Files.createDirectories(dir.resolve("not-a-crate"));
    Files.writeString(
        notCrate.resolve("ro-crate-metadata.json"),
        "{\"@graph\": [{\"@id\": \"./\", \"@type\": \"Dataset\"}]}");
    assertEquals(
        2, Main.run("import", notCrate.toString(), "--data", dir.resolve("third").toString()));
    assertThrows(
        CrateImport.CrateProblem.class,
        () -> {
          try (Store third = Store.open(StoreLocation.sqlite(dir.resolve("third")))) {
            new CrateImport().into(third, notCrate);
          }
        });
  }

  private Map<String, JsonNode> graph(Path crate) throws Exception {
    Map<String, JsonNode> g = new HashMap<>();
    for (JsonNode n : json.readTree(crate.resolve("ro-crate-metadata.json").toFile()).get("@graph"))
      g.put(n.get("@id").asText(), n);
    return g;
  }

  /**
   * #1 done (approved by alice, spectrum attached), #2 failed on a bad reply (learned as failed),
   * #3 held after a crash and released by bob as #4, which is done, #5 awaiting approval.
   */
  static RunRecord recordedRun(Store store) {
    store.saveCampaign(
        "silver",
        Path.of("silver.yaml"),
        CAMPAIGN,
        CampaignCrate.sha256(CAMPAIGN.getBytes(StandardCharsets.UTF_8)));
    RunRecord run =
        store.createRun(
            "silver", CampaignCrate.sha256(CAMPAIGN.getBytes(StandardCharsets.UTF_8)), 7);
    String id = run.id();
    Point p1 = new Point(Map.of("temperature", 120.0, "solvent", "water"));
    store.planExperiment(
        id,
        1,
        p1,
        new Suggestion(
            p1,
            "bayesian",
            "log-EI 3.2 at predicted peak 519.5 ± 4",
            0.2,
            Map.of("peak", 519.5),
            Map.of("peak", 4.0),
            Map.of()),
        ExperimentStatus.AWAITING_APPROVAL,
        OptionalInt.empty());
    store.setExperimentStatus(id, 1, ExperimentStatus.PLANNED, Optional.empty());
    store.addEvent(
        id,
        EventKind.APPROVED,
        Severity.INFO,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.of(1),
        "experiment #1 approved");
    store.addEvent(
        id,
        EventKind.AUDIT,
        Severity.INFO,
        Optional.of("alice"),
        Optional.empty(),
        OptionalInt.empty(),
        "alice: approved experiment #1");
    doneExperiment(store, id, 1, p1, 119.5, 521.5);

    Point p2 = new Point(Map.of("temperature", 80.0, "solvent", "ethanol, dry"));
    store.planExperiment(
        id,
        2,
        p2,
        Suggestion.of(p2, "sobol", "initial design"),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    store.stepStarted(step(id, 2, 0, "synthesize", "robot", p2.values()));
    store.stepDone(id, 2, 0, 1, Map.of("sampleId", "S-2", "actualTemperature", 80.5), List.of());
    store.stepStarted(step(id, 2, 1, "measure", "spectrometer", Map.of("sampleId", "S-2")));
    store.stepEnded(id, 2, 1, 1, StepStatus.FAILED, "bad-reply", "reply 'x' did not match");
    store.finishExperiment(
        id,
        2,
        ExperimentStatus.FAILED,
        Optional.empty(),
        Map.of(),
        Optional.of("bad-reply: reply 'x' did not match"),
        Optional.of(Observation.failed(p2)));

    Point p3 = new Point(Map.of("temperature", 150.0, "solvent", "water"));
    store.planExperiment(
        id,
        3,
        p3,
        Suggestion.of(p3, "bayesian", "EI"),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    store.stepStarted(step(id, 3, 0, "synthesize", "robot", p3.values()));
    store.stepEnded(
        id,
        3,
        0,
        1,
        StepStatus.INTERRUPTED,
        "interrupted",
        "found STARTED after a crash; not idempotent");
    store.finishExperiment(
        id,
        3,
        ExperimentStatus.HELD,
        Optional.empty(),
        Map.of(),
        Optional.of("interrupted: held for a person"),
        Optional.empty());
    store.retryHeld(
        id,
        3,
        "released by hand: runs again as #4",
        4,
        Suggestion.of(p3, "retry", "retry of held #3"));
    store.addEvent(
        id,
        EventKind.RELEASED,
        Severity.INFO,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.of(3),
        "experiment #3 released: its conditions run again as #4");
    store.addEvent(
        id,
        EventKind.AUDIT,
        Severity.INFO,
        Optional.of("bob"),
        Optional.empty(),
        OptionalInt.empty(),
        "bob: released experiment #3 as a retry");
    doneExperiment(store, id, 4, p3, 149.0, 530.25);

    Point p5 = new Point(Map.of("temperature", 60.0, "solvent", "water"));
    store.planExperiment(
        id,
        5,
        p5,
        Suggestion.of(p5, "bayesian", "EI"),
        ExperimentStatus.AWAITING_APPROVAL,
        OptionalInt.empty());
    return store.run(id).orElseThrow();
  }

  private static void doneExperiment(
      Store store, String id, int seq, Point p, double actual, double peak) {
    store.stepStarted(step(id, seq, 0, "synthesize", "robot", p.values()));
    store.stepDone(
        id, seq, 0, 1, Map.of("sampleId", "S-" + seq, "actualTemperature", actual), List.of());
    store.stepStarted(step(id, seq, 1, "measure", "spectrometer", Map.of("sampleId", "S-" + seq)));
    store.stepDone(
        id,
        seq,
        1,
        1,
        Map.of("peak", peak),
        List.of(new Store.NewAttachment("spectrum.csv", "text/csv", SPECTRUM)));
    Point achieved = new Point(Map.of("temperature", actual, "solvent", p.values().get("solvent")));
    store.finishExperiment(
        id,
        seq,
        ExperimentStatus.DONE,
        Optional.of(achieved),
        Map.of("peak", peak),
        Optional.empty(),
        Optional.of(Observation.ok(achieved, Map.of("peak", peak))));
  }

  private static StepRecord step(
      String run, int seq, int index, String stepId, String instrument, Map<String, Object> args) {
    return new StepRecord(
        run,
        seq,
        index,
        1,
        stepId,
        instrument,
        stepId,
        args,
        StepStatus.STARTED,
        StepRecord.idempotencyKey(run, seq, stepId),
        Instant.now(),
        Optional.of(Instant.now()),
        Optional.empty(),
        Map.of(),
        Optional.empty(),
        Optional.empty());
  }
}
