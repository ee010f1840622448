package io.labloop.orchestrator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Writes a run out of the store.
 *
 * <p>CSV: one row per experiment, a header of plain column names with units in brackets ({@code
 * temperature [degC]}), the parameters as requested, the achieved value beside each parameter the
 * campaign reads back ({@code temperature achieved [degC]}), the objectives, {@code status}, {@code
 * cause} and ISO-8601 UTC times. Comma-separated, RFC 4180 quoting, UTF-8, so that pandas ({@code
 * read_csv}) and spreadsheets open it without options. A text cell that a spreadsheet would run as
 * a formula gets a leading {@code '} ({@link #spreadsheetSafe}).
 *
 * <p>JSONL: one JSON object per line: first the run (campaign name, its exact YAML and SHA-256,
 * seed, status), then each experiment with everything kept about it (decision, every step attempt
 * with arguments, outputs, times, idempotency key and error, attachments by SHA-256), then the
 * events.
 *
 * <p>Names and units come from the campaign text stored with the run, so an export describes the
 * run as it was, even after the file was edited.
 */
public final class CampaignExport {

  private final Store store;
  private final RunRecord run;
  private final Columns columns;
  private final ObjectMapper json = new ObjectMapper();

  private CampaignExport(Store store, RunRecord run, Columns columns) {
    this.store = store;
    this.run = run;
    this.columns = columns;
  }

  /** Exports {@code run} (its campaign text must be in the store). */
  public static CampaignExport of(Store store, RunRecord run) {
    String yaml =
        store
            .campaignText(run.campaignSha256())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the store has no campaign text for run " + run.id()));
    return new CampaignExport(store, run, Columns.from(yaml));
  }

  /** The column names of the CSV, in order. */
  public List<String> csvHeader() {
    List<String> h = new ArrayList<>(List.of("run", "experiment", "status"));
    for (Map.Entry<String, String> p : columns.parameters.entrySet()) {
      h.add(label(p.getKey(), p.getValue()));
      if (columns.achieved.contains(p.getKey()))
        h.add(label(p.getKey() + " achieved", p.getValue()));
    }
    columns.objectives.forEach((name, unit) -> h.add(label(name, unit)));
    h.addAll(List.of("planned_at", "started_at", "ended_at", "cause", "retry_of", "chosen_by"));
    return h;
  }

  private static String label(String name, String unit) {
    return unit.isEmpty() ? name : name + " [" + unit + "]";
  }

  public void csv(Writer out) throws IOException {
    writeCsvRow(out, csvHeader().stream().map(CampaignExport::spreadsheetSafe).toList());
    Map<Integer, Suggestion> decisions = store.decisions(run.id());
    for (ExperimentRecord e : store.experiments(run.id())) {
      List<String> row =
          new ArrayList<>(
              List.of(spreadsheetSafe(run.id()), Integer.toString(e.seq()), e.status().name()));
      for (String p : columns.parameters.keySet()) {
        row.add(text(e.requested().values().get(p)));
        if (columns.achieved.contains(p))
          row.add(e.achieved().map(a -> text(a.values().get(p))).orElse(""));
      }
      columns.objectives.keySet().forEach(o -> row.add(text(e.values().get(o))));
      row.add(iso(Optional.of(e.plannedAt())));
      row.add(iso(e.startedAt()));
      row.add(iso(e.endedAt()));
      row.add(spreadsheetSafe(e.cause().orElse("")));
      row.add(e.retryOf().isPresent() ? Integer.toString(e.retryOf().getAsInt()) : "");
      // The planner that chose the experiment, or "human" for a researcher's own point.
      Suggestion d = decisions.get(e.seq());
      row.add(d == null ? "" : spreadsheetSafe(d.planner()));
      writeCsvRow(out, row);
    }
    out.flush();
  }

  /**
   * A value as a cell: a number as written by Java (negative numbers stay numbers), anything else
   * as safe text.
   */
  private static String text(Object v) {
    if (v == null) return "";
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) return "";
    if (v instanceof Number) return v.toString();
    return spreadsheetSafe(v.toString());
  }

  /**
   * A text cell that Excel, LibreOffice and Google Sheets show as text. A cell starting with {@code
   * = + - @} (or a tab or carriage return, which some of them skip before looking) is run as a
   * formula when the file is opened, so a campaign named {@code =HYPERLINK("http://x")} would
   * become a live link (CSV formula injection). Such a cell gets a leading single quote, as
   * spreadsheet-safe CSV writers do (the OWASP advice): the spreadsheet shows the text, and a
   * program reading the CSV sees the quote and can strip it. Only text cells pass here; numbers are
   * written by {@link #text(Object)} unchanged.
   */
  static String spreadsheetSafe(String cell) {
    if (cell.isEmpty()) return cell;
    char c = cell.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
        ? "'" + cell
        : cell;
  }

  private static String iso(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("");
  }

  private static void writeCsvRow(Writer out, List<String> cells) throws IOException {
    out.write(cells.stream().map(CampaignExport::quote).collect(Collectors.joining(",")));
    out.write("\r\n");
  }

  private static String quote(String cell) {
    if (cell.indexOf(',') < 0
        && cell.indexOf('"') < 0
        && cell.indexOf('\n') < 0
        && cell.indexOf('\r') < 0) return cell;
    return '"' + cell.replace("\"", "\"\"") + '"';
  }

  public void jsonl(Writer out) throws IOException {
    ObjectNode head = json.createObjectNode();
    head.put("type", "run");
    head.put("run", run.id());
    head.put("campaign", run.campaign());
    head.put("campaign_sha256", run.campaignSha256());
    head.put("campaign_yaml", store.campaignText(run.campaignSha256()).orElse(""));
    head.put("seed", run.seed());
    head.put("status", run.status().name());
    head.put("started_at", run.startedAt().toString());
    run.endedAt().ifPresent(t -> head.put("ended_at", t.toString()));
    run.stopReason().ifPresent(r -> head.put("stop_reason", r));
    line(out, head);

    Map<Integer, Suggestion> decisions = store.decisions(run.id());
    Map<Integer, List<StepRecord>> steps =
        store.steps(run.id()).stream()
            .collect(
                Collectors.groupingBy(StepRecord::seq, LinkedHashMap::new, Collectors.toList()));
    Map<String, List<AttachmentRecord>> files =
        store.attachments(run.id()).stream()
            .collect(Collectors.groupingBy(a -> a.seq() + "/" + a.stepIndex() + "/" + a.attempt()));
    for (ExperimentRecord e : store.experiments(run.id())) {
      ObjectNode n = json.createObjectNode();
      n.put("type", "experiment");
      n.put("run", run.id());
      n.put("experiment", e.seq());
      n.put("status", e.status().name());
      n.set("requested", json.valueToTree(e.requested().values()));
      e.achieved().ifPresent(a -> n.set("achieved", json.valueToTree(a.values())));
      n.set("values", json.valueToTree(e.values()));
      e.cause().ifPresent(c -> n.put("cause", c));
      n.put("reached_instrument", e.reached());
      if (e.retryOf().isPresent()) n.put("retry_of", e.retryOf().getAsInt());
      n.put("planned_at", e.plannedAt().toString());
      e.startedAt().ifPresent(t -> n.put("started_at", t.toString()));
      e.endedAt().ifPresent(t -> n.put("ended_at", t.toString()));
      Suggestion d = decisions.get(e.seq());
      if (d != null) {
        ObjectNode dn = n.putObject("decision");
        dn.put("planner", d.planner());
        dn.put("reason", d.reason());
        if (!Double.isNaN(d.acquisition())) dn.put("acquisition", d.acquisition());
        dn.set("predicted_mean", json.valueToTree(d.predictedMean()));
        dn.set("predicted_sd", json.valueToTree(d.predictedSd()));
        dn.set("details", json.valueToTree(d.details()));
      }
      ArrayNode sn = n.putArray("steps");
      for (StepRecord s : steps.getOrDefault(e.seq(), List.of())) {
        ObjectNode st = sn.addObject();
        st.put("step", s.stepId());
        st.put("index", s.stepIndex());
        st.put("attempt", s.attempt());
        st.put("instrument", s.instrument());
        st.put("command", s.command());
        st.set("arguments", json.valueToTree(s.arguments()));
        st.put("status", s.status().name());
        st.put("idempotency_key", s.idempotencyKey());
        s.startedAt().ifPresent(t -> st.put("started_at", t.toString()));
        s.endedAt().ifPresent(t -> st.put("ended_at", t.toString()));
        st.set("outputs", json.valueToTree(s.outputs()));
        s.errorKind().ifPresent(k -> st.put("error_kind", k));
        s.error().ifPresent(m -> st.put("error", m));
        ArrayNode an = st.putArray("attachments");
        for (AttachmentRecord a :
            files.getOrDefault(s.seq() + "/" + s.stepIndex() + "/" + s.attempt(), List.of())) {
          ObjectNode at = an.addObject();
          at.put("name", a.name());
          at.put("media_type", a.mediaType());
          at.put("sha256", a.sha256());
          at.put("bytes", a.sizeBytes());
          at.put("file", "attachments/" + a.sha256());
        }
      }
      line(out, n);
    }
    for (EventRecord ev : store.events(run.id())) {
      ObjectNode n = json.createObjectNode();
      n.put("type", "event");
      n.put("run", run.id());
      n.put("ordinal", ev.ordinal());
      n.put("at", ev.at().toString());
      n.put("kind", ev.kind().label());
      n.put("severity", ev.severity().stored());
      ev.instrument().ifPresent(i -> n.put("instrument", i));
      if (ev.seq().isPresent()) n.put("experiment", ev.seq().getAsInt());
      n.put("message", ev.message());
      line(out, n);
    }
    out.flush();
  }

  private void line(Writer out, ObjectNode node) throws IOException {
    out.write(json.writeValueAsString(node));
    out.write("\n");
  }

  /** Names and units as the campaign text gives them. */
  private record Columns(
      Map<String, String> parameters, Map<String, String> objectives, List<String> achieved) {

    @SuppressWarnings("unchecked")
    static Columns from(String yaml) {
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
      Map<String, Object> root = doc instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      Map<String, String> parameters = new LinkedHashMap<>();
      if (root.get("parameters") instanceof Map<?, ?> ps) {
        ps.forEach(
            (k, v) ->
                parameters.put(
                    String.valueOf(k),
                    v instanceof Map<?, ?> pm && pm.get("unit") != null
                        ? String.valueOf(pm.get("unit"))
                        : ""));
      }
      Map<String, String> objectives = new LinkedHashMap<>();
      if (root.get("objectives") instanceof List<?> os) {
        for (Object o : os) {
          if (o instanceof Map<?, ?> om && om.get("name") != null) {
            objectives.put(
                String.valueOf(om.get("name")),
                om.get("unit") != null ? String.valueOf(om.get("unit")) : "");
          }
        }
      }
      List<String> achieved = new ArrayList<>();
      if (root.get("achieved") instanceof Map<?, ?> am)
        am.keySet().forEach(k -> achieved.add(String.valueOf(k)));
      return new Columns(parameters, objectives, achieved);
    }
  }
}
