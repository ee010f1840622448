package io.labloop.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignExportTest {

  @TempDir Path dir;

  private static final String YAML =
      """
      campaign: c
      parameters:
        temperature: { type: continuous, min: 40, max: 200, unit: degC }
        solvent: { type: categorical, values: [water, "ethanol, dry"] }
      objectives:
        - { name: peak, from: measure.peak, goal: maximize, unit: nm }
      achieved: { temperature: synthesize.actualTemperature }
      """;

  @Test
  void csvHasUnitsInTheHeaderAndQuotesWhatNeedsIt() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir))) {
      RunRecord run = runWithTwoExperiments(store);
      StringWriter out = new StringWriter();
      CampaignExport.of(store, run).csv(out);
      String[] lines = out.toString().split("\r\n");
      assertEquals(
          "run,experiment,status,temperature [degC],temperature achieved [degC],solvent,peak [nm],planned_at,started_at,ended_at,cause,retry_of,chosen_by",
          lines[0]);
      assertTrue(lines[1].startsWith("c/1,1,DONE,120.0,119.5,water,521.5,"), lines[1]);
      // a categorical value and a cause with commas and quotes stay one cell each (RFC 4180)
      assertTrue(lines[2].startsWith("c/1,2,FAILED,80.0,,\"ethanol, dry\",,"), lines[2]);
      assertTrue(
          lines[2].contains(",\"bad-reply: reply 'x,y' did not match \"\"OK\"\"\","), lines[2]);
      assertEquals(3, lines.length);
    }
  }

  /** Issue 14, defect 6: a text that a spreadsheet would run as a formula is written as text. */
  @Test
  void textCellsThatSpreadsheetsWouldRunAsFormulasAreEscapedButNegativeNumbersStayNumbers()
      throws Exception {
    String yaml =
        """
        campaign: "=HYPERLINK(\\"http://x\\")"
        parameters:
          "@SUM(A1)": { type: continuous, min: -10, max: 10, unit: "+cmd" }
          solvent: { type: categorical, values: ["=1+1", "-2+3", "water"] }
        objectives:
          - { name: "-peak", from: measure.peak, goal: maximize }
        """;
    try (Store store = Store.open(StoreLocation.sqlite(dir))) {
      store.saveCampaign("=HYPERLINK", Path.of("c.yaml"), yaml, "h2");
      RunRecord run = store.createRun("=HYPERLINK", "h2", 1);
      Point p = new Point(Map.of("@SUM(A1)", -5.5, "solvent", "=1+1"));
      store.planExperiment(
          run.id(),
          1,
          p,
          Suggestion.of(p, "random", "none"),
          ExperimentStatus.PLANNED,
          OptionalInt.empty());
      store.finishExperiment(
          run.id(),
          1,
          ExperimentStatus.FAILED,
          Optional.empty(),
          Map.of(),
          Optional.of("@evil\t"),
          Optional.empty());
      Point q = new Point(Map.of("@SUM(A1)", 2.0, "solvent", "-2+3"));
      store.planExperiment(
          run.id(),
          2,
          q,
          Suggestion.of(q, "random", "none"),
          ExperimentStatus.PLANNED,
          OptionalInt.empty());
      store.finishExperiment(
          run.id(),
          2,
          ExperimentStatus.DONE,
          Optional.empty(),
          Map.of("-peak", -3.25),
          Optional.of("\tx"),
          Optional.empty());
      StringWriter out = new StringWriter();
      CampaignExport.of(store, store.run(run.id()).orElseThrow()).csv(out);
      String[] lines = out.toString().split("\r\n");
      assertEquals(
          "run,experiment,status,'@SUM(A1) [+cmd],solvent,'-peak,planned_at,started_at,ended_at,cause,retry_of,chosen_by",
          lines[0]);
      assertTrue(lines[1].startsWith("'=HYPERLINK/1,1,FAILED,-5.5,'=1+1,,"), lines[1]);
      assertTrue(lines[1].contains(",'@evil\t,,"), lines[1]);
      assertTrue(lines[2].startsWith("'=HYPERLINK/1,2,DONE,2.0,'-2+3,-3.25,"), lines[2]);
      assertTrue(lines[2].contains(",'\tx,,"), lines[2]);
    }
  }

  @Test
  void jsonlKeepsTheCampaignTextDecisionsAndTheJournal() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir))) {
      RunRecord run = runWithTwoExperiments(store);
      StringWriter out = new StringWriter();
      CampaignExport.of(store, run).jsonl(out);
      ObjectMapper json = new ObjectMapper();
      String[] lines = out.toString().split("\n");
      JsonNode head = json.readTree(lines[0]);
      assertEquals(YAML, head.get("campaign_yaml").asText());
      JsonNode first = json.readTree(lines[1]);
      assertEquals("bayesian", first.get("decision").get("planner").asText());
      assertEquals(4.0, first.get("decision").get("predicted_sd").get("peak").asDouble());
      assertEquals("DONE", first.get("steps").get(0).get("status").asText());
      assertEquals("c/1/1/synthesize", first.get("steps").get(0).get("idempotency_key").asText());
      assertEquals(119.5, first.get("achieved").get("temperature").asDouble());
      JsonNode second = json.readTree(lines[2]);
      assertTrue(second.get("cause").asText().startsWith("bad-reply"));
    }
  }

  private static RunRecord runWithTwoExperiments(Store store) {
    store.saveCampaign("c", Path.of("c.yaml"), YAML, "h");
    RunRecord run = store.createRun("c", "h", 1);
    Point p1 = new Point(Map.of("temperature", 120.0, "solvent", "water"));
    store.planExperiment(
        run.id(),
        1,
        p1,
        new Suggestion(
            p1, "bayesian", "EI", 0.2, Map.of("peak", 520.0), Map.of("peak", 4.0), Map.of()),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    store.stepStarted(
        new StepRecord(
            run.id(),
            1,
            0,
            1,
            "synthesize",
            "robot",
            "synthesize",
            p1.values(),
            StepStatus.STARTED,
            StepRecord.idempotencyKey(run.id(), 1, "synthesize"),
            Instant.now(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Optional.empty()));
    store.stepDone(
        run.id(),
        1,
        0,
        1,
        Map.of("sampleId", "S-1", "actualTemperature", 119.5),
        java.util.List.of());
    Point achieved = new Point(Map.of("temperature", 119.5, "solvent", "water"));
    store.finishExperiment(
        run.id(),
        1,
        ExperimentStatus.DONE,
        Optional.of(achieved),
        Map.of("peak", 521.5),
        Optional.empty(),
        Optional.of(Observation.ok(achieved, Map.of("peak", 521.5))));
    Point p2 = new Point(Map.of("temperature", 80.0, "solvent", "ethanol, dry"));
    store.planExperiment(
        run.id(),
        2,
        p2,
        Suggestion.of(p2, "bayesian", "EI"),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    store.finishExperiment(
        run.id(),
        2,
        ExperimentStatus.FAILED,
        Optional.empty(),
        Map.of(),
        Optional.of("bad-reply: reply 'x,y' did not match \"OK\""),
        Optional.empty());
    return store.run(run.id()).orElseThrow();
  }
}
