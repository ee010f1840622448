package io.labloop.orchestrator.report;

import static io.labloop.orchestrator.report.SvgPlot.esc;

import io.labloop.orchestrator.console.CampaignData;
import io.labloop.orchestrator.console.CampaignOutline;
import io.labloop.orchestrator.console.Numbers;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Suggestion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report of one campaign run as one HTML file: summary, best conditions and their measured
 * values, the console's plots drawn as inline SVG (each objective by experiment with the best so
 * far and the failures, each parameter against each objective, parallel coordinates, the Pareto
 * front for two objectives), every experiment with the planner's reasoning, the campaign file, and
 * provenance (LabLoop version, campaign SHA-256, seeds, instruments, planner settings).
 *
 * <p>Every experiment is drawn (no down-sampling: a report is read once, not refreshed), and
 * nothing refers outside the file: styles inline, no script, no fonts or images to fetch.
 */
public final class CampaignReport {
  private CampaignReport() {}

  /** The report of {@code run}; {@code version} is the LabLoop version writing it. */
  public static String html(Store store, RunRecord run, String version, Instant now) {
    CampaignData.Snapshot s = new CampaignData(store).snapshot(run.id().replace('/', '~'));
    CampaignData.Series series = s.computeSeries(Integer.MAX_VALUE);
    CampaignOutline outline = s.outline;
    String campaignText = store.campaignText(run.campaignSha256()).orElse("");
    List<StepRecord> steps = store.steps(run.id());
    List<String> objectives = s.objectiveNames();
    List<String> parameters = s.parameterNames();

    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc("LabLoop report: " + run.id()))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>")
        .append(esc(run.campaign()))
        .append(" <small>run ")
        .append(esc(run.id()))
        .append("</small></h1>\n");

    long done = s.experiments.stream().filter(x -> x.status() == ExperimentStatus.DONE).count();
    long failed =
        s.experiments.stream()
            .filter(
                x ->
                    x.status() == ExperimentStatus.FAILED
                        || x.status() == ExperimentStatus.INTERRUPTED)
            .count();
    h.append("<p>")
        .append(esc(run.status().name()))
        .append(" · ")
        .append(s.experiments.size())
        .append(" experiments (")
        .append(done)
        .append(" done, ")
        .append(failed)
        .append(" failed or interrupted)")
        .append(
            outline.budgetExperiments() > 0 ? " of a budget of " + outline.budgetExperiments() : "")
        .append(" · started ")
        .append(esc(run.startedAt().toString()))
        .append(run.endedAt().map(e -> " · ended " + esc(e.toString())).orElse(""))
        .append(run.stopReason().map(r -> " · " + esc(r)).orElse(""))
        .append("</p>\n");

    h.append("<h2>Best conditions</h2>\n");
    h.append(best(s, objectives, parameters));

    h.append("<h2>Objectives by experiment</h2>\n<div class=\"plots\">");
    for (String o : objectives) h.append(objectivePlot(s, series, o));
    h.append("</div>\n");

    if (!parameters.isEmpty() && !objectives.isEmpty()) {
      h.append("<h2>Where the planner looked</h2>\n<div class=\"plots\">");
      for (String o : objectives) {
        for (String p : parameters) h.append(parameterPlot(series, outline, p, o));
      }
      h.append("</div>\n<h3>Parallel coordinates, coloured by ")
          .append(esc(objectives.get(0)))
          .append("</h3>\n");
      h.append(ParallelCoordinates.render(series, outline, parameters, objectives.get(0)));
    }
    if (objectives.size() == 2) {
      h.append("<h2>Pareto front</h2>\n")
          .append(paretoPlot(series, objectives.get(0), objectives.get(1)));
    }

    h.append(
        "<h2>Experiments and the planner's reasoning</h2>\n<table><thead><tr><th>#</th><th>status</th>");
    parameters.forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
    objectives.forEach(o -> h.append("<th>").append(esc(o)).append("</th>"));
    h.append(
        "<th>planner</th><th>predicted</th><th>acquisition</th><th>cause</th></tr></thead><tbody>\n");
    Map<Integer, Suggestion> decisions = s.decisions();
    for (ExperimentRecord x : s.experiments) {
      Suggestion d = decisions.get(x.seq());
      Map<String, Object> at = x.achieved().orElse(x.requested()).values();
      h.append("<tr><td>")
          .append(x.seq())
          .append("</td><td>")
          .append(x.status().name())
          .append("</td>");
      parameters.forEach(
          p -> h.append("<td class=\"n\">").append(esc(value(at.get(p)))).append("</td>"));
      objectives.forEach(
          o ->
              h.append("<td class=\"n\">")
                  .append(x.values().containsKey(o) ? Numbers.format(x.values().get(o)) : "")
                  .append("</td>"));
      h.append("<td>")
          .append(d == null ? "" : esc(d.planner() + ": " + d.reason()))
          .append("</td><td>")
          .append(d == null ? "" : esc(predicted(d)))
          .append("</td><td class=\"n\">")
          .append(d == null || Double.isNaN(d.acquisition()) ? "" : Numbers.format(d.acquisition()))
          .append("</td><td>")
          .append(esc(x.cause().orElse("")))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Provenance</h2>\n<table class=\"kv\">");
    kv(h, "LabLoop version", version);
    kv(h, "report written", now.toString());
    kv(h, "run", run.id());
    kv(h, "campaign SHA-256", run.campaignSha256());
    kv(h, "run seed", Long.toString(run.seed()));
    Object plannerSeed = outline.planner().get("seed");
    kv(
        h,
        "planner seed",
        plannerSeed == null ? "(none in the file: the run seed)" : String.valueOf(plannerSeed));
    kv(h, "planner settings", outline.planner().toString());
    kv(h, "instruments", instruments(steps));
    h.append("</table>\n");
    h.append("<h2>Campaign file</h2>\n<pre>").append(esc(campaignText)).append("</pre>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static String best(
      CampaignData.Snapshot s, List<String> objectives, List<String> parameters) {
    if (objectives.isEmpty()) return "<p>No objective values yet.</p>\n";
    StringBuilder h =
        new StringBuilder(
            "<table class=\"kv\"><thead><tr><th>objective</th><th>best</th><th>experiment</th>"
                + "<th>conditions</th><th>its other values</th></tr></thead><tbody>");
    for (String o : objectives) {
      CampaignOutline.Goal g = s.outline.goal(o);
      Optional<ExperimentRecord> best =
          s.experiments.stream()
              .filter(x -> x.status() == ExperimentStatus.DONE && x.values().containsKey(o))
              .min(java.util.Comparator.comparingDouble(x -> g.loss(x.values().get(o))));
      h.append("<tr><td>")
          .append(esc(o))
          .append(" <small>(")
          .append(esc(g.describe()))
          .append(")</small></td>");
      if (best.isEmpty()) {
        h.append("<td colspan=\"4\">no value yet</td></tr>");
        continue;
      }
      ExperimentRecord x = best.get();
      Map<String, Object> at = x.achieved().orElse(x.requested()).values();
      StringBuilder cond = new StringBuilder();
      for (String p : parameters) {
        CampaignOutline.Parameter info = s.outline.parameters().get(p);
        cond.append(cond.length() == 0 ? "" : ", ")
            .append(p)
            .append(" = ")
            .append(value(at.get(p)))
            .append(info == null || info.unit().isEmpty() ? "" : " " + info.unit());
      }
      StringBuilder others = new StringBuilder();
      x.values()
          .forEach(
              (k, v) -> {
                if (!k.equals(o))
                  others
                      .append(others.length() == 0 ? "" : ", ")
                      .append(k)
                      .append(" = ")
                      .append(Numbers.format(v));
              });
      h.append("<td class=\"n\"><b>")
          .append(Numbers.format(x.values().get(o)))
          .append(g.unit().isEmpty() ? "" : " " + esc(g.unit()))
          .append("</b></td><td>#")
          .append(x.seq())
          .append("</td><td>")
          .append(esc(cond.toString()))
          .append("</td><td>")
          .append(esc(others.toString()))
          .append("</td></tr>");
    }
    return h.append("</tbody></table>\n").toString();
  }

  private static String objectivePlot(
      CampaignData.Snapshot s, CampaignData.Series series, String o) {
    CampaignOutline.Goal g = series.outline().goal(o);
    SvgPlot plot =
        new SvgPlot(
            o + " by experiment (" + g.describe() + ")",
            "experiment",
            label(o, g.unit()),
            List.of());
    List<Double> ys = series.objectives().get(o);
    double low = Double.POSITIVE_INFINITY;
    for (int i = 0; i < series.seqs().size(); i++) {
      Double v = ys.get(i);
      if (v == null) continue;
      low = Math.min(low, v);
      plot.dot(
          series.seqs().get(i),
          v,
          "obs",
          "#" + series.seqs().get(i) + ": " + o + " = " + Numbers.format(v));
    }
    plot.line(series.best().getOrDefault(o, List.of()), "best", true);
    if (low == Double.POSITIVE_INFINITY) low = 0;
    for (CampaignData.Failure f : series.failures()) {
      plot.dot(f.seq(), low, "fail", "#" + f.seq() + " " + f.status() + ": " + f.cause());
    }
    return plot.render("class=\"plot objective\" data-objective=\"" + esc(o) + "\"");
  }

  private static String parameterPlot(
      CampaignData.Series series, CampaignOutline outline, String p, String o) {
    CampaignOutline.Parameter info = outline.parameters().get(p);
    List<String> categories =
        info != null && info.type().equals("categorical") ? info.values() : List.of();
    SvgPlot plot =
        new SvgPlot(
            p + " vs " + o,
            label(p, info == null ? "" : info.unit()),
            label(o, outline.goal(o).unit()),
            categories);
    List<Object> xs = series.parameters().get(p);
    List<Double> ys = series.objectives().get(o);
    for (int i = 0; i < series.seqs().size(); i++) {
      Double y = ys.get(i);
      if (y == null) continue;
      Object x = xs.get(i);
      double xv =
          categories.isEmpty()
              ? (x instanceof Number n ? n.doubleValue() : parse(x))
              : categories.indexOf(String.valueOf(x));
      plot.dot(
          xv,
          y,
          "obs",
          "#"
              + series.seqs().get(i)
              + ": "
              + p
              + " = "
              + value(x)
              + ", "
              + o
              + " = "
              + Numbers.format(y));
    }
    return plot.render(
        "class=\"plot parameter\" data-parameter=\""
            + esc(p)
            + "\" data-objective=\""
            + esc(o)
            + "\"");
  }

  private static String paretoPlot(CampaignData.Series series, String a, String b) {
    SvgPlot plot = new SvgPlot("Pareto front: " + a + " vs " + b, a, b, List.of());
    for (int i = 0; i < series.seqs().size(); i++) {
      Double x = series.objectives().get(a).get(i);
      Double y = series.objectives().get(b).get(i);
      if (x != null && y != null) plot.dot(x, y, "obs", "#" + series.seqs().get(i));
    }
    List<double[]> front = series.pareto().stream().map(p -> new double[] {p[1], p[2]}).toList();
    plot.line(front, "front", false);
    for (double[] p : series.pareto())
      plot.dot(p[1], p[2], "front", "#" + (int) p[0] + " (on the front)");
    return plot.render("class=\"plot pareto\"");
  }

  private static String instruments(List<StepRecord> steps) {
    Map<String, TreeSet<String>> used = new TreeMap<>();
    steps.forEach(s -> used.computeIfAbsent(s.instrument(), k -> new TreeSet<>()).add(s.command()));
    if (used.isEmpty()) return "(no step reached an instrument)";
    List<String> out = new ArrayList<>();
    used.forEach((i, cmds) -> out.add(i + " (" + String.join(", ", cmds) + ")"));
    return String.join("; ", out);
  }

  private static String predicted(Suggestion d) {
    Map<String, String> out = new LinkedHashMap<>();
    d.predictedMean()
        .forEach(
            (k, v) ->
                out.put(
                    k,
                    Numbers.format(v)
                        + " ± "
                        + Numbers.format(d.predictedSd().getOrDefault(k, Double.NaN))));
    List<String> parts = new ArrayList<>();
    out.forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }

  private static void kv(StringBuilder h, String k, String v) {
    h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
  }

  private static String label(String name, String unit) {
    return unit == null || unit.isEmpty() ? name : name + " [" + unit + "]";
  }

  static String value(Object v) {
    if (v == null) return "";
    if (v instanceof Number n) return Numbers.format(n.doubleValue());
    return String.valueOf(v);
  }

  private static double parse(Object x) {
    try {
      return Double.parseDouble(String.valueOf(x));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static final String STYLE =
      """
      body { font-family: system-ui, sans-serif; color: #1d2430; margin: 24px; max-width: 1200px; }
      h1 small, h2 small { color: #6a7380; font-weight: normal; }
      table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
      th, td { border-bottom: 1px solid #d9dee5; padding: 3px 6px; text-align: left; vertical-align: top; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      table.kv th { white-space: nowrap; }
      pre { background: #f6f8fa; border: 1px solid #d9dee5; padding: 10px; font-size: 12px; overflow-x: auto; }
      .plots { display: flex; flex-wrap: wrap; gap: 10px; }
      svg.plot, svg.parallel { background: #fff; border: 1px solid #d9dee5; border-radius: 4px; font-size: 11px; }
      svg .frame { fill: none; stroke: #8c959f; }
      svg .grid { stroke: #eaeef2; }
      svg .t { font-weight: 600; font-size: 13px; }
      svg .yt { text-anchor: end; fill: #57606a; }
      svg .xt, svg .xl, svg .yl { text-anchor: middle; fill: #57606a; }
      svg circle.obs { fill: #4575b4; fill-opacity: 0.75; }
      svg circle.front { fill: #cf222e; }
      svg path.best { fill: none; stroke: #1a7f37; stroke-width: 2; }
      svg path.front { fill: none; stroke: #cf222e; stroke-width: 1.5; }
      svg path.fail { stroke: #cf222e; stroke-width: 2; }
      svg polyline.pc { fill: none; stroke-width: 1; stroke-opacity: 0.6; }
      svg line.axis { stroke: #57606a; }
      """;
}
