package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import io.labloop.planners.Suggestion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop why CAMPAIGN N}: the stored decision behind experiment N, readably — who chose it
 * (a planner, or a person), the acquisition and its value, the model's prediction (mean ± sd per
 * objective), the runner-up, which parameters the model found to matter (shortest fitted
 * length-scale first: a short length-scale means the outcome changes quickly with that parameter),
 * and for warm starts how far each earlier task agreed.
 */
@Command(
    name = "why",
    mixinStandardHelpOptions = true,
    description = {
      "Explain why experiment N was chosen: the planner's stored decision.",
      "Example: labloop why silver-nanoparticles 12 --data labloop-data"
    })
public final class WhyCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "The campaign file, or the campaign's name.")
  String campaign;

  @Parameters(index = "1", paramLabel = "N", description = "The experiment's number.")
  int seq;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "Which run (default: the latest), e.g. silver-nanoparticles/1.")
  String runId;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String name = ExportCommand.campaignName(campaign);
    try (Store store = data.openExisting()) {
      RunRecord run = data.run(store, name, runId);
      ExperimentRecord e =
          store.experiments(run.id()).stream()
              .filter(x -> x.seq() == seq)
              .findFirst()
              .orElseThrow(() -> new UserError("run " + run.id() + " has no experiment #" + seq));
      Suggestion d = store.decisions(run.id()).get(seq);
      PrintWriter out = spec.commandLine().getOut();
      explain(run.id(), e, d).forEach(out::println);
      out.flush();
    } catch (StoreException ex) {
      throw new UserError(ex.getMessage(), ExitCodes.FAILURE);
    }
    return ExitCodes.OK;
  }

  /**
   * The lines {@code why} prints for experiment {@code e} of run {@code runId} and its decision
   * (null if none stored).
   */
  static List<String> explain(String runId, ExperimentRecord e, Suggestion d) {
    List<String> out = new ArrayList<>();
    out.add("#" + e.seq() + " of " + runId + " (" + e.status() + "): " + e.requested().values());
    if (d == null) {
      out.add("  no decision is stored for it");
      return out;
    }
    out.add(
        "  chosen by: "
            + ("human".equals(d.planner())
                ? "a person (" + d.reason() + ")"
                : d.planner() + " planner"));
    if (!"human".equals(d.planner())) out.add("  why: " + d.reason());
    if (!Double.isNaN(d.acquisition()))
      out.add(String.format(Locale.ROOT, "  acquisition value: %.4g", d.acquisition()));
    if (!d.predictedMean().isEmpty()) {
      List<String> parts = new ArrayList<>();
      d.predictedMean()
          .forEach(
              (k, m) -> {
                Double sd = d.predictedSd().get(k);
                parts.add(
                    String.format(
                        Locale.ROOT, "%s %.4g ± %.2g", k, m, sd == null ? Double.NaN : sd));
              });
      out.add("  model predicted: " + String.join(", ", parts));
    }
    if (!e.values().isEmpty()) out.add("  measured: " + e.values());
    Map<String, Double> details = d.details();
    Map<String, Object> alternative = new LinkedHashMap<>();
    Map<String, Double> lengthscales = new LinkedHashMap<>();
    Map<String, Double> tasks = new LinkedHashMap<>();
    Map<String, Double> other = new LinkedHashMap<>();
    details.forEach(
        (k, v) -> {
          if (k.startsWith("alternative.") && !k.equals("alternative.acquisition")) {
            String rest = k.substring("alternative.".length());
            int eq = rest.indexOf('=');
            if (eq > 0) {
              alternative.put(rest.substring(0, eq), rest.substring(eq + 1));
            } else {
              alternative.put(rest, v);
            }
          } else if (k.startsWith("lengthscale.")) {
            lengthscales.put(k.substring("lengthscale.".length()), v);
          } else if (k.startsWith("task.")) {
            tasks.put(k.substring("task.".length()), v);
          } else if (!k.equals("alternative.acquisition") && !k.equals("trust.side")) {
            // (The trust region's side has its own line below.)
            other.put(k, v);
          }
        });
    if (!alternative.isEmpty()) {
      out.add(
          String.format(
              Locale.ROOT,
              "  best alternative: %s (acquisition %.4g)",
              alternative,
              details.getOrDefault("alternative.acquisition", Double.NaN)));
    }
    if (!lengthscales.isEmpty()) {
      List<Map.Entry<String, Double>> sorted = new ArrayList<>(lengthscales.entrySet());
      sorted.sort(Comparator.comparingDouble(Map.Entry::getValue));
      List<String> parts =
          sorted.stream()
              .map(x -> String.format(Locale.ROOT, "%s %.3g", x.getKey(), x.getValue()))
              .toList();
      out.add(
          "  what matters (fitted length-scale in the unit cube, shortest first): "
              + String.join(", ", parts));
    }
    if (details.containsKey("trust.side")) {
      out.add(
          String.format(
              Locale.ROOT,
              "  searched within a box around the best result so far (trust region): side %.3g of"
                  + " the range, longer along the parameters that matter less",
              details.get("trust.side")));
    }
    if (!tasks.isEmpty()) {
      List<String> parts = new ArrayList<>();
      tasks.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f", k, v)));
      out.add(
          "  agreement with earlier tasks (correlation, 1 = the same): "
              + String.join(", ", parts));
    }
    if (!other.isEmpty()) {
      List<String> parts = new ArrayList<>();
      other.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.4g", k, v)));
      out.add("  model: " + String.join(", ", parts));
    }
    return out;
  }
}
