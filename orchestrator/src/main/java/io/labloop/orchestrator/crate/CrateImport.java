package io.labloop.orchestrator.crate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads a crate written by {@link CampaignCrate} (a folder or a zip) into a store, as a new run of
 * the crate's campaign that holds exactly the observations the planner learned in the original run,
 * in the same order, under the same experiment numbers.
 *
 * <p>The new run is left RUNNING on purpose: {@code labloop run} with the same campaign text and
 * this data folder resumes it, so the planner starts from the imported observations (a warm start),
 * and since no command of an imported experiment was sent here, they do not use up the experiment
 * budget. Only the learned observations come back (requested and achieved conditions, objective
 * values, OK or FAILED); the step journal, events and raw files stay in the crate. The crate must
 * conform to the Workflow Run Crate profile and have a LabLoop campaign file as its main entity;
 * anything else is refused with a message naming the crate and what is missing.
 */
public final class CrateImport {

  /** What an import did. */
  public record Result(String runId, String campaign, int observations) {}

  private final ObjectMapper json = new ObjectMapper();

  /** Imports the crate at {@code crate} into {@code store}. */
  public Result into(Store store, Path crate) throws IOException {
    try (CrateFiles.Source source = CrateFiles.source(crate)) {
      return into(store, source, crate);
    }
  }

  private Result into(Store store, CrateFiles.Source source, Path crate) throws IOException {
    JsonNode doc = json.readTree(source.read("ro-crate-metadata.json"));
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode n : doc.path("@graph")) byId.put(n.path("@id").asText(), n);
    JsonNode root = byId.get("./");
    if (root == null) throw bad(source, "has no root data entity './'");
    if (!refIds(root.get("conformsTo")).contains(CampaignCrate.WORKFLOW_RUN)) {
      throw bad(
          source,
          "does not conform to the Workflow Run Crate profile " + CampaignCrate.WORKFLOW_RUN);
    }
    String main = root.path("mainEntity").path("@id").asText("");
    JsonNode language =
        byId.get(
            byId.getOrDefault(main, json.nullNode())
                .path("programmingLanguage")
                .path("@id")
                .asText(""));
    if (language == null || !"labloop-campaign".equals(language.path("alternateName").asText())) {
      throw bad(source, "has no LabLoop campaign file as its main entity (found '" + main + "')");
    }
    String text = new String(source.read(main), StandardCharsets.UTF_8);
    String sha = CampaignCrate.sha256(text.getBytes(StandardCharsets.UTF_8));
    String name =
        campaignName(text).orElseThrow(() -> bad(source, main + " has no 'campaign:' name"));
    long seed =
        Optional.ofNullable(byId.get("#run/seed")).map(n -> n.path("value").asLong()).orElse(0L);

    List<JsonNode> observations = new ArrayList<>();
    for (JsonNode n : byId.values())
      if ("Observation".equals(n.path("@type").asText())) observations.add(n);
    observations.sort(Comparator.comparingInt(n -> n.path("position").asInt()));

    store.saveCampaign(name, crate.resolve(main), text, sha);
    RunRecord run = store.createRun(name, sha, seed);
    store.addEvent(
        run.id(),
        EventKind.IMPORTED,
        Severity.INFO,
        Optional.empty(),
        Optional.empty(),
        OptionalInt.empty(),
        "imported " + observations.size() + " observations from RO-Crate " + source.where());
    for (JsonNode o : observations) {
      Map<String, Object> condition = new LinkedHashMap<>();
      Map<String, Object> requested = new LinkedHashMap<>();
      Map<String, Double> values = new LinkedHashMap<>();
      String status = null;
      int seq = -1;
      for (String id : refIds(o.get("variableMeasured"))) {
        JsonNode pv = byId.get(id);
        if (pv == null)
          throw bad(
              source,
              "observation "
                  + o.path("@id").asText()
                  + " names "
                  + id
                  + ", which is not in the crate");
        String kind = pv.path("propertyID").asText();
        String key = pv.path("name").asText();
        JsonNode v = pv.path("value");
        switch (kind) {
          case "status" -> status = v.asText();
          case "experiment" -> seq = v.asInt();
          case "condition" -> condition.put(key, plain(v));
          case "requested" -> requested.put(key, plain(v));
          case "objective" -> values.put(key, v.asDouble());
          default -> {}
        }
      }
      if (seq < 1 || status == null)
        throw bad(
            source,
            "observation " + o.path("@id").asText() + " lacks its experiment number or status");
      Point point = new Point(condition);
      Point asked = new Point(requested.isEmpty() ? condition : requested);
      boolean ok = "OK".equals(status);
      Observation learned =
          ok
              ? Observation.ok(point, values)
              : new Observation(point, values, Observation.Status.FAILED);
      store.planExperiment(
          run.id(),
          seq,
          asked,
          Suggestion.of(asked, "imported", "imported from " + source.where()),
          ExperimentStatus.PLANNED,
          OptionalInt.empty());
      store.finishExperiment(
          run.id(),
          seq,
          ok ? ExperimentStatus.DONE : ExperimentStatus.FAILED,
          Optional.of(point),
          values,
          ok ? Optional.empty() : Optional.of("imported: failed in the original run"),
          Optional.of(learned));
    }
    return new Result(run.id(), name, observations.size());
  }

  /** JSON numbers as Double (the planner's numbers), everything else as text. */
  private static Object plain(JsonNode v) {
    return v.isNumber() ? (Object) v.doubleValue() : v.asText();
  }

  private static List<String> refIds(JsonNode n) {
    List<String> ids = new ArrayList<>();
    if (n == null) return ids;
    if (n.isArray()) n.forEach(x -> ids.add(x.path("@id").asText()));
    else ids.add(n.path("@id").asText());
    return ids;
  }

  private static Optional<String> campaignName(String yaml) {
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    return doc instanceof Map<?, ?> m && m.get("campaign") != null
        ? Optional.of(String.valueOf(m.get("campaign")))
        : Optional.empty();
  }

  private static CrateProblem bad(CrateFiles.Source source, String what) {
    return new CrateProblem(source.where() + ": not a LabLoop campaign crate: it " + what);
  }

  /** A crate that cannot be imported. */
  public static final class CrateProblem extends RuntimeException {
    public CrateProblem(String message) {
      super(message);
    }
  }
}
