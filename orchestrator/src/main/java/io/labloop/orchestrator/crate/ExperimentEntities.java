package io.labloop.orchestrator.crate;

import static io.labloop.orchestrator.crate.CrateEntities.attemptKey;
import static io.labloop.orchestrator.crate.CrateEntities.commandId;
import static io.labloop.orchestrator.crate.CrateEntities.experimentId;
import static io.labloop.orchestrator.crate.CrateEntities.objectiveId;
import static io.labloop.orchestrator.crate.CrateEntities.parameterId;
import static io.labloop.orchestrator.crate.CrateEntities.propertyValue;
import static io.labloop.orchestrator.crate.CrateEntities.ref;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labloop.common.FileNames;
import io.labloop.orchestrator.store.AttachmentRecord;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds every experiment of a run to the crate graph: the experiment as a {@code CreateAction}
 * (requested conditions as its object; achieved conditions, objective values and raw files as its
 * result), one {@code CreateAction} per step attempt with the arguments sent and the raw files
 * (written once each under {@code attachments/SHA256}), the planner's {@code ChooseAction} and the
 * {@code AuthorizeAction} of whoever let it run, read from the audit trail. Split from {@link
 * CampaignCrate}, which writes the fixed part of the crate and the observations.
 */
final class ExperimentEntities {
  private static final Pattern APPROVED_BY =
      Pattern.compile("^(.+?): approved experiment #(\\d+)$");
  private static final Pattern MENTIONS_EXPERIMENT = Pattern.compile("#(\\d+)\\b");

  private final CrateGraph g;
  private final CrateFiles.Sink sink;
  private final Store store;
  private final RunRecord run;
  private final CampaignTerms terms;
  private final String labloopVersion;

  ExperimentEntities(
      CrateGraph g,
      CrateFiles.Sink sink,
      Store store,
      RunRecord run,
      CampaignTerms terms,
      String labloopVersion) {
    this.g = g;
    this.sink = sink;
    this.store = store;
    this.run = run;
    this.terms = terms;
    this.labloopVersion = labloopVersion;
  }

  /**
   * Adds the experiments; their entities are listed in {@code hasPart} (files) and {@code
   * mentions}.
   */
  void add(
      List<ExperimentRecord> experiments,
      Map<Integer, List<StepRecord>> steps,
      Map<String, List<AttachmentRecord>> files,
      Map<Integer, Suggestion> decisions,
      List<EventRecord> events,
      ArrayNode hasPart,
      ArrayNode mentions)
      throws IOException {
    // ---- people and approvals from the audit trail
    Map<Integer, String> approvers = new LinkedHashMap<>();
    Map<Integer, Instant> approvedAt = new LinkedHashMap<>();
    Map<Integer, List<String>> history = new LinkedHashMap<>();
    for (EventRecord ev : events) {
      Matcher m = APPROVED_BY.matcher(ev.message());
      if (ev.kind() == EventKind.AUDIT && m.matches())
        approvers.put(Integer.parseInt(m.group(2)), ev.actor().orElse(m.group(1)));
      if (ev.kind() == EventKind.APPROVED && ev.seq().isPresent())
        approvedAt.put(ev.seq().getAsInt(), ev.at());
      Set<Integer> about = new LinkedHashSet<>();
      if (ev.seq().isPresent()) about.add(ev.seq().getAsInt());
      if (ev.kind() == EventKind.AUDIT) {
        Matcher mm = MENTIONS_EXPERIMENT.matcher(ev.message());
        while (mm.find()) about.add(Integer.parseInt(mm.group(1)));
      }
      for (int seq : about)
        history
            .computeIfAbsent(seq, k -> new ArrayList<>())
            .add(ev.at() + " " + ev.kind() + ": " + ev.message());
    }

    // ---- the experiments, their steps, decisions and approvals
    Set<String> attachmentsWritten = new LinkedHashSet<>();
    for (ExperimentRecord e : experiments) {
      String eid = experimentId(e.seq());
      ObjectNode a = g.entity(eid, "CreateAction");
      a.put("name", "experiment #" + e.seq() + " of run " + run.id());
      StringBuilder d = new StringBuilder("status " + e.status().name());
      e.retryOf().ifPresent(r -> d.append("; runs again the conditions of experiment #").append(r));
      e.cause().ifPresent(c -> d.append("; ").append(c));
      d.append(e.reached() ? "; reached an instrument" : "; no command was sent");
      for (String h : history.getOrDefault(e.seq(), List.of())) d.append("\n").append(h);
      a.put("description", d.toString());
      a.set("instrument", ref(CampaignCrate.CAMPAIGN_FILE));
      a.put("actionStatus", actionStatus(e.status()));
      e.startedAt().ifPresent(t -> a.put("startTime", t.toString()));
      e.endedAt().ifPresent(t -> a.put("endTime", t.toString()));
      if (e.cause().isPresent() && actionStatus(e.status()).equals("FailedActionStatus"))
        a.put("error", e.cause().get());
      ArrayNode object = a.putArray("object");
      for (CampaignTerms.Term p : terms.parameters()) {
        Object v = e.requested().values().get(p.name());
        if (v == null) continue;
        String pv = eid + "/requested/" + p.name();
        propertyValue(g, pv, p.name(), "requested", v, p.unit(), parameterId(p.name()));
        object.add(ref(pv));
      }
      ArrayNode result = a.putArray("result");
      e.achieved()
          .ifPresent(
              achieved -> {
                for (CampaignTerms.Term p : terms.parameters()) {
                  Object v = achieved.values().get(p.name());
                  if (v == null) continue;
                  String pv = eid + "/achieved/" + p.name();
                  propertyValue(g, pv, p.name(), "achieved", v, p.unit(), parameterId(p.name()));
                  result.add(ref(pv));
                }
              });
      for (CampaignTerms.Term o : terms.objectives()) {
        Double v = e.values().get(o.name());
        if (v == null || v.isNaN() || v.isInfinite()) continue;
        String pv = eid + "/value/" + o.name();
        propertyValue(g, pv, o.name(), "objective", v, o.unit(), objectiveId(o.name()));
        result.add(ref(pv));
      }
      mentions.add(ref(eid));

      for (StepRecord s : steps.getOrDefault(e.seq(), List.of())) {
        String sid = eid + "/step/" + s.stepId() + "/" + s.attempt();
        ObjectNode sa = g.entity(sid, "CreateAction");
        sa.put(
            "name",
            s.stepId()
                + " of experiment #"
                + e.seq()
                + " (attempt "
                + s.attempt()
                + "): "
                + s.instrument()
                + "."
                + s.command());
        sa.put(
            "description",
            "step "
                + (s.stepIndex() + 1)
                + " '"
                + s.stepId()
                + "', command '"
                + s.command()
                + "' on instrument '"
                + s.instrument()
                + "', idempotency key "
                + s.idempotencyKey()
                + ", journal status "
                + s.status().name());
        sa.set("instrument", ref(commandId(s.instrument(), s.command())));
        sa.set("isPartOf", ref(eid));
        sa.put(
            "actionStatus",
            s.status() == StepStatus.DONE
                ? "CompletedActionStatus"
                : s.status() == StepStatus.STARTED ? "ActiveActionStatus" : "FailedActionStatus");
        s.startedAt().ifPresent(t -> sa.put("startTime", t.toString()));
        s.endedAt().ifPresent(t -> sa.put("endTime", t.toString()));
        if (s.status() == StepStatus.FAILED || s.status() == StepStatus.INTERRUPTED) {
          sa.put("error", s.errorKind().orElse("error") + s.error().map(m -> ": " + m).orElse(""));
        }
        ArrayNode args = sa.putArray("object");
        s.arguments()
            .forEach(
                (k, v) -> {
                  String pv = sid + "/argument/" + k;
                  propertyValue(g, pv, k, "argument", v, "", null);
                  args.add(ref(pv));
                });
        ArrayNode outs = sa.putArray("result");
        s.outputs()
            .forEach(
                (k, v) -> {
                  String pv = sid + "/output/" + k;
                  propertyValue(g, pv, k, "output", v, "", null);
                  outs.add(ref(pv));
                });
        for (AttachmentRecord f :
            files.getOrDefault(attemptKey(s.seq(), s.stepIndex(), s.attempt()), List.of())) {
          String path = "attachments/" + f.sha256();
          if (attachmentsWritten.add(path)) {
            Path raw = store.attachmentsDir().resolve(f.sha256());
            sink.put(
                path,
                out -> {
                  try (InputStream in = Files.newInputStream(raw)) {
                    in.transferTo(out);
                  }
                });
            ObjectNode file = g.entity(path, "File");
            file.put("name", f.name());
            file.put(
                "description",
                "raw data of "
                    + s.stepId()
                    + " in experiment #"
                    + e.seq()
                    + " ("
                    + s.instrument()
                    + "."
                    + s.command()
                    + ")");
            file.put("encodingFormat", f.mediaType());
            file.put("contentSize", Long.toString(f.sizeBytes()));
            file.put("sha256", f.sha256());
            file.put("alternateName", f.name());
            hasPart.add(ref(path));
          }
          outs.add(ref(path));
          result.add(ref(path));
        }
        mentions.add(ref(sid));
      }

      Suggestion decision = decisions.get(e.seq());
      if (decision != null) {
        String did = "#decision/" + e.seq();
        ObjectNode c = g.entity(did, "ChooseAction");
        c.put("name", "planner decision for experiment #" + e.seq());
        c.put("description", decision.reason());
        String plannerId = "#planner/" + decision.planner();
        if (!g.has(plannerId)) {
          ObjectNode p = g.entity(plannerId, "SoftwareApplication");
          p.put("name", "LabLoop planner '" + decision.planner() + "'");
          p.put("softwareVersion", labloopVersion);
          p.set("isPartOf", ref("#labloop"));
        }
        c.set("agent", ref(plannerId));
        c.set("instrument", ref(plannerId));
        c.put("endTime", e.plannedAt().toString());
        c.put("actionStatus", "CompletedActionStatus");
        c.set("result", ref(eid));
        ArrayNode predictions = c.putArray("object");
        if (!Double.isNaN(decision.acquisition())) {
          propertyValue(
              g,
              did + "/acquisition",
              "acquisition",
              "acquisition",
              decision.acquisition(),
              "",
              null);
          predictions.add(ref(did + "/acquisition"));
        }
        for (CampaignTerms.Term o : terms.objectives()) {
          Double mean = decision.predictedMean().get(o.name());
          if (mean != null && Double.isFinite(mean)) {
            propertyValue(
                g,
                did + "/predicted-mean/" + o.name(),
                o.name(),
                "predicted-mean",
                mean,
                o.unit(),
                objectiveId(o.name()));
            predictions.add(ref(did + "/predicted-mean/" + o.name()));
          }
          Double sd = decision.predictedSd().get(o.name());
          if (sd != null && Double.isFinite(sd)) {
            propertyValue(
                g,
                did + "/predicted-sd/" + o.name(),
                o.name(),
                "predicted-sd",
                sd,
                o.unit(),
                objectiveId(o.name()));
            predictions.add(ref(did + "/predicted-sd/" + o.name()));
          }
        }
        mentions.add(ref(did));
      }

      if (approvable(e.status())) {
        String aid = "#approval/" + e.seq();
        ObjectNode auth = g.entity(aid, "AuthorizeAction");
        auth.set("object", ref(eid));
        auth.put("actionStatus", "CompletedActionStatus");
        String who = approvers.get(e.seq());
        if (who != null) {
          String personId = "#person/" + FileNames.safe(who);
          if (!g.has(personId)) g.entity(personId, "Person").put("name", who);
          auth.set("agent", ref(personId));
          auth.put("name", "experiment #" + e.seq() + " approved by " + who);
        } else if (terms.manualApproval() && approvedAt.containsKey(e.seq())) {
          auth.set("agent", ref("#labloop"));
          auth.put(
              "name",
              "experiment #"
                  + e.seq()
                  + " approved (by hand; who is not in the store's audit trail)");
        } else if (terms.manualApproval() && e.retryOf().isPresent()) {
          auth.set("agent", ref("#labloop"));
          auth.put(
              "name",
              "experiment #"
                  + e.seq()
                  + " let run as the retry of held experiment #"
                  + e.retryOf().getAsInt());
        } else {
          auth.set("agent", ref("#labloop"));
          auth.put("name", "experiment #" + e.seq() + " approved automatically (approval: auto)");
        }
        Instant at = approvedAt.get(e.seq());
        if (at != null) auth.put("endTime", at.toString());
        mentions.add(ref(aid));
      }
    }
  }

  private static boolean approvable(ExperimentStatus s) {
    return s != ExperimentStatus.AWAITING_APPROVAL && s != ExperimentStatus.REJECTED;
  }

  static String actionStatus(ExperimentStatus s) {
    return switch (s) {
      case PLANNED, AWAITING_APPROVAL -> "PotentialActionStatus";
      case RUNNING -> "ActiveActionStatus";
      case DONE -> "CompletedActionStatus";
      case FAILED, INTERRUPTED, HELD, REJECTED -> "FailedActionStatus";
    };
  }
}
