package io.labloop.orchestrator.crate;

import static io.labloop.orchestrator.crate.CrateEntities.attemptKey;
import static io.labloop.orchestrator.crate.CrateEntities.commandId;
import static io.labloop.orchestrator.crate.CrateEntities.dataFile;
import static io.labloop.orchestrator.crate.CrateEntities.experimentId;
import static io.labloop.orchestrator.crate.CrateEntities.formalParameter;
import static io.labloop.orchestrator.crate.CrateEntities.instrumentId;
import static io.labloop.orchestrator.crate.CrateEntities.objectiveId;
import static io.labloop.orchestrator.crate.CrateEntities.parameterId;
import static io.labloop.orchestrator.crate.CrateEntities.profile;
import static io.labloop.orchestrator.crate.CrateEntities.propertyValue;
import static io.labloop.orchestrator.crate.CrateEntities.ref;
import static io.labloop.orchestrator.crate.CrateEntities.refs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labloop.orchestrator.store.AttachmentRecord;
import io.labloop.orchestrator.store.CampaignExport;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes one run of a campaign as a Workflow Run RO-Crate.
 *
 * <p>The mapping, chosen so that a generic RO-Crate reader finds the provenance without knowing
 * LabLoop:
 *
 * <ul>
 *   <li>{@code campaign.yaml} (the exact text the run started with) is the crate's main entity, a
 *       {@code ComputationalWorkflow} whose inputs are the campaign's parameters and whose outputs
 *       are its objectives ({@code FormalParameter}s, with units);
 *   <li>each experiment is a {@code CreateAction} with that workflow as {@code instrument}: its
 *       {@code object} the requested conditions, its {@code result} the achieved conditions, the
 *       objective values and the raw files, its status and times. An experiment that never ran
 *       (planned, awaiting approval) is a {@code PotentialActionStatus} action, so what was planned
 *       stands beside what ran;
 *   <li>each attempt of a workflow step is a {@code CreateAction} whose {@code instrument} is the
 *       instrument's command (a {@code SoftwareApplication} that is part of the instrument), with
 *       the arguments sent as {@code object}, the outputs and raw files as {@code result}, and the
 *       error of a failed or interrupted attempt;
 *   <li>the planner's decision is a {@code ChooseAction} whose {@code result} is the experiment,
 *       with the reason, the acquisition value and the predictions; who let it run is an {@code
 *       AuthorizeAction} (a person by name from the audit trail, or LabLoop itself under {@code
 *       approval: auto});
 *   <li>the run is an {@code OrganizeAction} of LabLoop (with its version) over the campaign and
 *       lab files; what the planner learned, in order, is one {@code Observation} per learned
 *       experiment, which {@link CrateImport} reads back.
 * </ul>
 *
 * Raw attachments are stored once under {@code attachments/SHA256} and carry the {@code sha256}
 * term of the Workflow Run terms. Every term used is in the RO-Crate 1.1 context or that small
 * extension (the tests check this).
 */
public final class CampaignCrate {

  public static final String RO_CRATE_1_1 = "https://w3id.org/ro/crate/1.1";
  public static final String CONTEXT = "https://w3id.org/ro/crate/1.1/context";
  public static final String WFRUN_CONTEXT = "https://w3id.org/ro/terms/workflow-run/context";
  public static final String PROCESS_RUN = "https://w3id.org/ro/wfrun/process/0.5";
  public static final String WORKFLOW_RUN = "https://w3id.org/ro/wfrun/workflow/0.5";
  public static final String WORKFLOW_RO_CRATE =
      "https://w3id.org/workflowhub/workflow-ro-crate/1.0";
  public static final String FORMAL_PARAMETER_PROFILE =
      "https://bioschemas.org/profiles/FormalParameter/1.0-RELEASE";

  /** Where the campaign file and the lab file are in the crate. */
  public static final String CAMPAIGN_FILE = "campaign.yaml";

  public static final String LAB_FILE = "lab.yaml";

  private final Store store;
  private final RunRecord run;
  private final Optional<String> labText;
  private final String labloopVersion;
  private final Instant now;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * @param labText the lab file the campaign ran on, when the caller has it (the store keeps only
   *     the campaign text)
   * @param labloopVersion the version of LabLoop writing the crate
   * @param now the crate's publication time
   */
  public CampaignCrate(
      Store store, RunRecord run, Optional<String> labText, String labloopVersion, Instant now) {
    this.store = store;
    this.run = run;
    this.labText = labText;
    this.labloopVersion = labloopVersion;
    this.now = now;
  }

  /** Writes the crate to the folder or zip {@code out} (see {@link CrateFiles#sink}). */
  public void write(Path out) throws IOException {
    try (CrateFiles.Sink sink = CrateFiles.sink(out)) {
      write(sink);
    }
  }

  public void write(CrateFiles.Sink sink) throws IOException {
    String campaignText =
        store
            .campaignText(run.campaignSha256())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the store has no campaign text for run " + run.id()));
    CampaignTerms terms = CampaignTerms.of(campaignText);
    CrateGraph g = new CrateGraph(json);

    List<ExperimentRecord> experiments = store.experiments(run.id());
    Map<Integer, List<StepRecord>> steps =
        store.steps(run.id()).stream()
            .collect(
                Collectors.groupingBy(StepRecord::seq, LinkedHashMap::new, Collectors.toList()));
    Map<String, List<AttachmentRecord>> files =
        store.attachments(run.id()).stream()
            .collect(
                Collectors.groupingBy(
                    a -> attemptKey(a.seq(), a.stepIndex(), a.attempt()),
                    LinkedHashMap::new,
                    Collectors.toList()));
    Map<Integer, Suggestion> decisions = store.decisions(run.id());
    List<EventRecord> events = store.events(run.id());
    List<ObservationRecord> observations = store.observations(run.id());

    // ---- the fixed part: descriptor, root, profiles, LabLoop, the workflow and its parameters
    ObjectNode descriptor = g.entity("ro-crate-metadata.json", "CreativeWork");
    descriptor.set("conformsTo", refs(RO_CRATE_1_1, WORKFLOW_RO_CRATE));
    descriptor.set("about", ref("./"));

    ObjectNode root = g.entity("./", "Dataset");
    root.put("name", "LabLoop campaign " + run.campaign() + ", run " + run.id());
    root.put(
        "description",
        "Run "
            + run.id()
            + " of campaign "
            + run.campaign()
            + " as recorded by LabLoop "
            + labloopVersion
            + ": the campaign and lab files, every experiment planned and run (with the planner's decision, who approved it, the"
            + " commands sent, the conditions achieved and the raw data), and the observations the planner learned.");
    root.put("datePublished", now.toString());
    root.set("license", ref("#license"));
    root.set("conformsTo", refs(PROCESS_RUN, WORKFLOW_RUN, WORKFLOW_RO_CRATE));
    root.set("mainEntity", ref(CAMPAIGN_FILE));
    ArrayNode hasPart = root.putArray("hasPart");
    ArrayNode mentions = root.putArray("mentions");

    ObjectNode license = g.entity("#license", "CreativeWork");
    license.put("name", "Terms of the lab that ran the campaign");
    license.put(
        "description",
        "LabLoop does not choose a licence for a lab's data; set one before publishing this crate.");

    profile(g, PROCESS_RUN, "Process Run Crate", "0.5");
    profile(g, WORKFLOW_RUN, "Workflow Run Crate", "0.5");
    profile(g, WORKFLOW_RO_CRATE, "Workflow RO-Crate", "1.0");
    profile(g, FORMAL_PARAMETER_PROFILE, "FormalParameter profile", "1.0-RELEASE");

    ObjectNode labloop = g.entity("#labloop", "SoftwareApplication");
    labloop.put("name", "LabLoop");
    labloop.put(
        "description",
        "Runs self-driving-lab campaigns: drivers, planners, a virtual lab and an orchestrator.");
    labloop.put("softwareVersion", labloopVersion);

    ObjectNode language = g.entity("#labloop-campaign-language", "ComputerLanguage");
    language.put("name", "LabLoop campaign file (YAML)");
    language.put("alternateName", "labloop-campaign");
    language.put("version", labloopVersion);

    byte[] campaignBytes = campaignText.getBytes(StandardCharsets.UTF_8);
    sink.put(CAMPAIGN_FILE, campaignBytes);
    ObjectNode workflow =
        g.entity(CAMPAIGN_FILE, "File", "SoftwareSourceCode", "ComputationalWorkflow");
    workflow.put("name", run.campaign());
    workflow.put(
        "description",
        "The campaign file run "
            + run.id()
            + " started with (stored text, SHA-256 "
            + run.campaignSha256()
            + ").");
    workflow.put("encodingFormat", "application/yaml");
    workflow.put("contentSize", Long.toString(campaignBytes.length));
    workflow.put("sha256", sha256(campaignBytes));
    workflow.set("programmingLanguage", ref("#labloop-campaign-language"));
    ArrayNode inputs = workflow.putArray("input");
    for (CampaignTerms.Term p : terms.parameters()) {
      inputs.add(ref(parameterId(p.name())));
      formalParameter(g, parameterId(p.name()), p, "campaign parameter");
    }
    ArrayNode outputs = workflow.putArray("output");
    for (CampaignTerms.Term o : terms.objectives()) {
      outputs.add(ref(objectiveId(o.name())));
      formalParameter(g, objectiveId(o.name()), o, "campaign objective");
    }
    hasPart.add(ref(CAMPAIGN_FILE));

    List<JsonNode> runInputs = new ArrayList<>(List.of(ref(CAMPAIGN_FILE)));
    if (labText.isPresent()) {
      byte[] labBytes = labText.get().getBytes(StandardCharsets.UTF_8);
      sink.put(LAB_FILE, labBytes);
      ObjectNode lab = g.entity(LAB_FILE, "File");
      lab.put("name", "lab file");
      lab.put(
          "description",
          "The lab the campaign ran on: its instruments, drivers, commands and limits.");
      lab.put("encodingFormat", "application/yaml");
      lab.put("contentSize", Long.toString(labBytes.length));
      lab.put("sha256", sha256(labBytes));
      hasPart.add(ref(LAB_FILE));
      runInputs.add(ref(LAB_FILE));
    }

    // ---- the data files written by the existing exports
    CampaignExport export = CampaignExport.of(store, run);
    sink.put(
        "observations.csv",
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          export.csv(w);
          w.flush();
        });
    dataFile(
        g,
        hasPart,
        "observations.csv",
        "text/csv",
        "Observations, one row per experiment",
        "One row per experiment: requested and achieved conditions and objective values, units in brackets in the header, ISO-8601 UTC times.");
    sink.put(
        "provenance.jsonl",
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          export.jsonl(w);
          w.flush();
        });
    dataFile(
        g,
        hasPart,
        "provenance.jsonl",
        "application/jsonl",
        "Run journal",
        "LabLoop's own record of the run: campaign text, decisions, every step attempt, events (one JSON object a line).");

    // ---- instruments and their commands (from the step journal)
    Map<String, String> instrumentDrivers = terms.instrumentDrivers(labText);
    Set<String> commandsSeen = new LinkedHashSet<>();
    for (List<StepRecord> ss : steps.values()) {
      for (StepRecord s : ss) {
        String commandId = commandId(s.instrument(), s.command());
        if (!commandsSeen.add(commandId)) continue;
        String instrumentId = instrumentId(s.instrument());
        if (!g.has(instrumentId)) {
          ObjectNode i = g.entity(instrumentId, "IndividualProduct");
          i.put("name", s.instrument());
          String driver = instrumentDrivers.get(s.instrument());
          i.put(
              "description",
              "Instrument '"
                  + s.instrument()
                  + "' of the lab"
                  + (driver == null ? "" : ", driven by LabLoop's " + driver + " driver"));
        }
        ObjectNode c = g.entity(commandId, "SoftwareApplication");
        c.put("name", s.instrument() + "." + s.command());
        c.put(
            "description",
            "Command '"
                + s.command()
                + "' of instrument '"
                + s.instrument()
                + "' as configured in the lab file");
        c.set("isPartOf", ref(instrumentId));
      }
    }

    // ---- the run
    ObjectNode runAction = g.entity("#run", "OrganizeAction");
    runAction.put("name", "LabLoop run " + run.id());
    runAction.put(
        "description",
        "Run "
            + run.id()
            + " of campaign "
            + run.campaign()
            + ", planner seed "
            + run.seed()
            + ", status "
            + run.status().name()
            + run.stopReason().map(r -> " (" + r + ")").orElse(""));
    runAction.set("agent", ref("#labloop"));
    runAction.set("instrument", ref("#labloop"));
    runAction.put("startTime", run.startedAt().toString());
    run.endedAt().ifPresent(t -> runAction.put("endTime", t.toString()));
    runAction.put(
        "actionStatus",
        run.status() == io.labloop.orchestrator.store.RunStatus.RUNNING
            ? "ActiveActionStatus"
            : run.status() == io.labloop.orchestrator.store.RunStatus.COMPLETED
                ? "CompletedActionStatus"
                : "FailedActionStatus");
    ArrayNode runObject = runAction.putArray("object");
    runInputs.forEach(runObject::add);
    ObjectNode seed = g.entity("#run/seed", "PropertyValue");
    seed.put("name", "planner seed");
    seed.put("propertyID", "seed");
    seed.put("value", run.seed());
    runObject.add(ref("#run/seed"));
    ArrayNode runResult = runAction.putArray("result");
    runResult.add(ref("observations.csv"));
    runResult.add(ref("observations.jsonld"));
    runResult.add(ref("provenance.jsonl"));
    mentions.add(ref("#run"));

    // ---- the experiments, their steps, decisions and approvals
    new ExperimentEntities(g, sink, store, run, terms, labloopVersion)
        .add(experiments, steps, files, decisions, events, hasPart, mentions);

    // ---- what the planner learned, in order: the part an import reads back
    List<String> observationIds = new ArrayList<>();
    for (ObservationRecord o : observations) {
      String oid = "#observation/" + o.ordinal();
      observationIds.add(oid);
      ObjectNode obs = g.entity(oid, "Observation");
      obs.put(
          "name",
          "observation " + o.ordinal() + ": what the planner learned from experiment #" + o.seq());
      obs.put("position", o.ordinal());
      obs.put("observationDate", o.recordedAt().toString());
      obs.set("about", ref(experimentId(o.seq())));
      ArrayNode measured = obs.putArray("variableMeasured");
      propertyValue(
          g, oid + "/status", "status", "status", o.observation().status().name(), "", null);
      measured.add(ref(oid + "/status"));
      propertyValue(g, oid + "/experiment", "experiment", "experiment", o.seq(), "", null);
      measured.add(ref(oid + "/experiment"));
      o.observation()
          .point()
          .values()
          .forEach(
              (k, v) -> {
                propertyValue(
                    g, oid + "/condition/" + k, k, "condition", v, terms.unit(k), parameterId(k));
                measured.add(ref(oid + "/condition/" + k));
              });
      o.requested()
          .values()
          .forEach(
              (k, v) -> {
                propertyValue(
                    g, oid + "/requested/" + k, k, "requested", v, terms.unit(k), parameterId(k));
                measured.add(ref(oid + "/requested/" + k));
              });
      o.observation()
          .values()
          .forEach(
              (k, v) -> {
                if (v == null || !Double.isFinite(v)) return;
                propertyValue(
                    g, oid + "/value/" + k, k, "objective", v, terms.unit(k), objectiveId(k));
                measured.add(ref(oid + "/value/" + k));
              });
      mentions.add(ref(oid));
    }
    ObjectNode obsFile =
        dataFile(
            g,
            hasPart,
            "observations.jsonld",
            "application/ld+json",
            "Observations as JSON-LD",
            "What the planner learned, in learning order: one Observation per experiment with its conditions and objective values"
                + " (the same entities as in ro-crate-metadata.json, for tools that read JSON-LD).");
    obsFile.put("encodingFormat", "application/ld+json");

    // observations.jsonld: the observations with every entity they reference, as a standalone
    // JSON-LD document
    ObjectNode obsDoc = json.createObjectNode();
    obsDoc.set("@context", context());
    ArrayNode obsGraph = obsDoc.putArray("@graph");
    for (ObjectNode n : g.entities()) {
      String id = n.get("@id").asText();
      if (id.startsWith("#observation/")
          || id.startsWith("#param/")
          || id.startsWith("#objective/")) obsGraph.add(n);
    }
    sink.put("observations.jsonld", json.writeValueAsBytes(obsDoc));

    ObjectNode doc = json.createObjectNode();
    doc.set("@context", context());
    ArrayNode graph = doc.putArray("@graph");
    g.entities().forEach(graph::add);
    sink.put("ro-crate-metadata.json", json.writeValueAsBytes(doc));
  }

  private ArrayNode context() {
    ArrayNode c = json.createArrayNode();
    c.add(CONTEXT);
    c.add(WFRUN_CONTEXT);
    return c;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
