package io.labloop.orchestrator.bench.planners;

import io.labloop.planners.CandidatePool;
import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.PriorData;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.settings.CsvTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Warm start on the direct arylation data (issue 10, section 3): one solvent is the new campaign
 * (its 432 reactions are the candidate pool; base, ligand, concentration and temperature are the
 * parameters), the other three solvents' 1,296 measured reactions are the prior data. How many
 * experiments, in batches, until a top-1 % yield of the new solvent (its 4 best reactions) is
 * found:
 *
 * <ul>
 *   <li>{@link Prior#NONE}: no prior data (a cold start: Sobol design, then the model);
 *   <li>{@link Prior#TASKS}: the other solvents as prior data, each marked as its own task, so the
 *       model learns how far each agrees with the new one;
 *   <li>{@link Prior#SAME}: the same rows given as data of the same setting (the solvent ignored),
 *       to show what assuming "same" instead of learning it costs or gains.
 * </ul>
 *
 * The planner is the campaign default ({@code type: bayesian}, seed = the run's seed).
 */
public final class WarmStartBenchmark {

  public enum Prior {
    NONE,
    TASKS,
    SAME
  }

  private static final List<String> INPUTS =
      List.of("base", "ligand", "concentration", "temperature");

  private final String solvent;
  private final Space space;
  private final Map<Point, Double> yield;
  private final List<PriorData> tasks;
  private final double threshold;

  private WarmStartBenchmark(
      String solvent, Space space, Map<Point, Double> yield, List<PriorData> tasks) {
    this.solvent = solvent;
    this.space = space;
    this.yield = yield;
    this.tasks = tasks;
    double[] sorted = yield.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int top = Math.max(1, (int) Math.floor(0.01 * sorted.length));
    this.threshold = sorted[sorted.length - top];
  }

  public String solvent() {
    return solvent;
  }

  /** The new task's top-1 % threshold (yield, %). */
  public double threshold() {
    return threshold;
  }

  /** Every solvent in the file, in the order first seen. */
  public static List<String> solvents(Path file) {
    return read(file).stream().map(r -> r.get("solvent")).distinct().toList();
  }

  /** The problem with {@code solvent} as the new task. */
  public static WarmStartBenchmark arylation(Path file, String solvent) {
    List<Map<String, String>> rows = read(file);
    List<Parameter> parameters = new ArrayList<>();
    for (String in : INPUTS) {
      List<String> values = rows.stream().map(r -> r.get(in)).distinct().toList();
      if (in.equals("base") || in.equals("ligand")) {
        parameters.add(new Parameter.Categorical(in, values));
      } else {
        parameters.add(
            new Parameter.Discrete(
                in, values.stream().map(Double::parseDouble).distinct().sorted().toList(), ""));
      }
    }
    Map<Point, Double> own = new LinkedHashMap<>();
    Map<String, List<Observation>> others = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("base", r.get("base"));
      v.put("ligand", r.get("ligand"));
      v.put("concentration", Double.parseDouble(r.get("concentration")));
      v.put("temperature", Double.parseDouble(r.get("temperature")));
      Point p = new Point(v);
      double y = Double.parseDouble(r.get("yield"));
      if (r.get("solvent").equals(solvent)) own.put(p, y);
      else
        others
            .computeIfAbsent(r.get("solvent"), k -> new ArrayList<>())
            .add(Observation.ok(p, Map.of("yield", y)));
    }
    if (own.isEmpty()) throw new IllegalArgumentException("no rows with solvent '" + solvent + "'");
    Space space =
        new Space(
            parameters,
            List.of(),
            Optional.of(new CandidatePool(new ArrayList<>(own.keySet()), "solvent " + solvent)));
    List<PriorData> tasks = new ArrayList<>();
    others.forEach((s, obs) -> tasks.add(new PriorData("solvent " + s, s, obs)));
    return new WarmStartBenchmark(solvent, space, own, tasks);
  }

  /** Experiments until a top-1 % yield of the new solvent; {@code evals + 1} if never. */
  public int run(Prior prior, long seed, int evals, int batch) {
    List<PriorData> data =
        switch (prior) {
          case NONE -> List.of();
          case TASKS -> tasks;
          case SAME ->
              List.of(
                  new PriorData(
                      "other solvents",
                      "",
                      tasks.stream().flatMap(t -> t.observations().stream()).toList()));
        };
    Planner planner = Planners.create(new PlannerSpec("bayesian", seed, Map.of()));
    Objective objective = new Objective.Maximize("yield");
    List<Observation> observations = new ArrayList<>();
    while (observations.size() < evals) {
      int k = Math.min(batch, evals - observations.size());
      List<Suggestion> s =
          planner.suggest(
              new PlanningState(space, List.of(objective), observations, List.of(), data), k);
      if (s.isEmpty()) break;
      for (Suggestion one : s) {
        double y = yield.get(one.point());
        observations.add(Observation.ok(one.point(), Map.of("yield", y)));
        if (y >= threshold) return observations.size();
        if (observations.size() >= evals) break;
      }
    }
    return evals + 1;
  }

  private static List<Map<String, String>> read(Path file) {
    CsvTable csv;
    try {
      csv = CsvTable.read(file);
    } catch (IOException | CsvTable.Malformed e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    List<String> header = csv.header().texts();
    List<Map<String, String>> out = new ArrayList<>();
    for (CsvTable.Row row : csv.rows()) {
      Map<String, String> r = new LinkedHashMap<>();
      List<String> t = row.texts();
      for (int i = 0; i < header.size() && i < t.size(); i++)
        r.put(header.get(i), t.get(i).strip());
      out.add(r);
    }
    return out;
  }
}
