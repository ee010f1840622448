package io.labloop.orchestrator.bench.planners;

import com.ezylang.evalex.BaseException;
import com.ezylang.evalex.Expression;
import io.labloop.planners.CandidatePool;
import io.labloop.planners.Objective;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.expression.ExpressionRules;
import io.labloop.settings.CsvTable;
import io.labloop.simulators.functions.TestFunction;
import io.labloop.simulators.functions.TestFunctions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One problem of {@code labloop bench planners}: a space, a goal, a way to "run" a point, and the
 * best value there is, so that regret (how far the best found is from the best possible) can be
 * measured. Function problems are minimised; dataset problems replay a table as a discrete pool.
 *
 * @param name as printed
 * @param space what the planner may suggest
 * @param objective the goal the planner is given
 * @param evaluate the measured value at a point
 * @param optimum the best value there is, NaN if unknown (regret is then the best value itself)
 * @param topOnePercent for datasets, the value a result must reach to be in the top 1 % of the
 *     table; NaN otherwise
 * @param noiseSd standard deviation of the Gaussian noise added to each measurement (0: exact);
 *     regret is always measured on the noiseless value ({@code evaluate}) of the points run
 */
public record PlannerBenchmarkProblem(
    String name,
    Space space,
    Objective objective,
    ToDoubleFunction<Point> evaluate,
    double optimum,
    double topOnePercent,
    double noiseSd) {

  /** An exact (noise-free) problem. */
  public PlannerBenchmarkProblem(
      String name,
      Space space,
      Objective objective,
      ToDoubleFunction<Point> evaluate,
      double optimum,
      double topOnePercent) {
    this(name, space, objective, evaluate, optimum, topOnePercent, 0);
  }

  /**
   * This problem measured with Gaussian noise of standard deviation {@code sd}, named {@code
   * NAME-noisy}. The planner sees noisy values; regret is on the noiseless function.
   */
  public PlannerBenchmarkProblem noisy(double sd) {
    return new PlannerBenchmarkProblem(
        name + "-noisy", space, objective, evaluate, optimum, topOnePercent, sd);
  }

  /** Distance of {@code best} from the optimum in the objective's direction (≥ 0). */
  public double regret(double best) {
    double target = Double.isNaN(optimum) ? 0 : optimum;
    return objective instanceof Objective.Maximize ? target - best : best - target;
  }

  public boolean isDataset() {
    return !Double.isNaN(topOnePercent);
  }

  /** Noise sd of the {@code -noisy} problems (hartmann6's range is about 3.3). */
  public static final double NOISY_SD = 0.1;

  /**
   * A named benchmark function (branin, hartmann6, ...), minimised over its standard box; {@code
   * NAME-noisy} is the same function measured with Gaussian noise of sd {@value #NOISY_SD}.
   */
  public static Optional<PlannerBenchmarkProblem> function(String name) {
    if (name.toLowerCase(java.util.Locale.ROOT).endsWith("-noisy")) {
      return TestFunctions.byName(name.substring(0, name.length() - "-noisy".length()))
          .map(PlannerBenchmarkProblem::of)
          .map(p -> p.noisy(NOISY_SD));
    }
    return TestFunctions.byName(name).map(PlannerBenchmarkProblem::of);
  }

  private static PlannerBenchmarkProblem of(TestFunction f) {
    List<Parameter> parameters = new ArrayList<>();
    for (int i = 0; i < f.dimension(); i++)
      parameters.add(new Parameter.Continuous("x" + (i + 1), f.lower(i), f.upper(i)));
    Space space = new Space(parameters, List.of());
    int d = f.dimension();
    return new PlannerBenchmarkProblem(
        f.name(),
        space,
        new Objective.Minimize("y"),
        p -> {
          double[] x = new double[d];
          for (int i = 0; i < d; i++) x[i] = p.number("x" + (i + 1));
          return f.evaluate(x);
        },
        f.minimum(),
        Double.NaN);
  }

  /**
   * An expression to minimise, e.g. {@code (x1 - 0.3)^2 + x2^2} with bounds {@code x1=0:1,x2=-1:1}.
   *
   * @throws IllegalArgumentException for a bad expression or bounds, naming what is wrong
   */
  public static PlannerBenchmarkProblem expression(
      String expression, String bounds, double minimum) {
    List<Parameter> parameters = new ArrayList<>();
    for (String part : bounds.split(",")) {
      String[] nameRange = part.strip().split("=", 2);
      String[] range = nameRange.length == 2 ? nameRange[1].split(":", 2) : new String[0];
      if (range.length != 2) {
        throw new IllegalArgumentException(
            "--bounds: '" + part.strip() + "' is not NAME=MIN:MAX (e.g. x1=0:1)");
      }
      try {
        parameters.add(
            new Parameter.Continuous(
                nameRange[0].strip(),
                Double.parseDouble(range[0].strip()),
                Double.parseDouble(range[1].strip())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--bounds: '" + part.strip() + "': MIN and MAX must be numbers");
      }
    }
    Space space = new Space(parameters, List.of());
    Expression parsed;
    try {
      ExpressionRules.checkSize(expression);
      parsed = new Expression(expression, ExpressionRules.configuration());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--expression is too large: " + e.getMessage());
    }
    try {
      Set<String> unknown = new LinkedHashSet<>(parsed.getUsedVariables());
      unknown.removeIf(v -> space.names().stream().anyMatch(n -> n.equalsIgnoreCase(v)));
      unknown.removeIf(
          v ->
              parsed.getConfiguration().getDefaultConstants().keySet().stream()
                  .anyMatch(v::equalsIgnoreCase));
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "--expression names " + unknown + " which --bounds does not define");
      }
      parsed.validate();
    } catch (BaseException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--expression does not parse: "
              + (e.getMessage() != null ? e.getMessage() : "unbalanced brackets or operators"));
    }
    return new PlannerBenchmarkProblem(
        "expression",
        space,
        new Objective.Minimize("y"),
        p -> {
          synchronized (parsed) {
            for (String n : space.names()) parsed.with(n, p.number(n));
            try {
              return parsed.evaluate().getNumberValue().doubleValue();
            } catch (BaseException | ArithmeticException e) {
              throw new IllegalArgumentException(
                  "--expression cannot be evaluated at " + p + ": " + e.getMessage());
            }
          }
        },
        minimum,
        Double.NaN);
  }

  /**
   * A table replayed as a discrete pool: every distinct combination of {@code inputs} is a
   * candidate and "measuring" it returns {@code output} (averaged over repeated rows). A column
   * whose values are all numbers is a discrete parameter, any other a categorical one.
   */
  public static PlannerBenchmarkProblem dataset(
      Path file, List<String> inputs, String output, String goal) {
    CsvTable csv;
    try {
      csv = CsvTable.read(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--dataset: cannot read " + file + ": " + e.getMessage());
    } catch (CsvTable.Malformed e) {
      throw new IllegalArgumentException(
          file + ":" + e.line() + ":" + e.column() + ": not a CSV csv: " + e.getMessage());
    }
    if (csv.rows().isEmpty())
      throw new IllegalArgumentException("--dataset: " + file + " has no data rows");
    List<String> header = csv.header().texts();
    int[] columns = new int[inputs.size()];
    for (int k = 0; k < inputs.size(); k++) {
      columns[k] = header.indexOf(inputs.get(k));
      if (columns[k] < 0)
        throw new IllegalArgumentException(
            "--inputs: no column '"
                + inputs.get(k)
                + "' in "
                + file
                + " (columns are "
                + header
                + ")");
    }
    int out = header.indexOf(output);
    if (out < 0)
      throw new IllegalArgumentException(
          "--output: no column '" + output + "' in " + file + " (columns are " + header + ")");
    List<String[]> rows = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    for (CsvTable.Row row : csv.rows()) {
      if (row.cells().size() < header.size()) {
        throw new IllegalArgumentException(
            file
                + ":"
                + row.line()
                + ": expected "
                + header.size()
                + " columns, found "
                + row.cells().size());
      }
      rows.add(row.texts().toArray(String[]::new));
      lines.add(row.line());
    }
    List<Parameter> parameters = new ArrayList<>();
    boolean[] numeric = new boolean[inputs.size()];
    for (int k = 0; k < inputs.size(); k++) {
      int c = columns[k];
      numeric[k] = rows.stream().allMatch(r -> isNumber(r[c].strip()));
      if (numeric[k]) {
        List<Double> values =
            rows.stream().map(r -> Double.parseDouble(r[c].strip())).distinct().sorted().toList();
        parameters.add(new Parameter.Discrete(inputs.get(k), values, ""));
      } else {
        parameters.add(
            new Parameter.Categorical(
                inputs.get(k), rows.stream().map(r -> r[c].strip()).distinct().toList()));
      }
    }
    Map<Point, double[]> sums = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      Map<String, Object> values = new LinkedHashMap<>();
      for (int k = 0; k < inputs.size(); k++) {
        String cell = r[columns[k]].strip();
        values.put(inputs.get(k), numeric[k] ? (Object) Double.parseDouble(cell) : cell);
      }
      double y;
      try {
        y = Double.parseDouble(r[out].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            file + ":" + lines.get(i) + ": output '" + r[out] + "' is not a number");
      }
      sums.computeIfAbsent(new Point(values), p -> new double[2]);
      double[] s = sums.get(new Point(values));
      s[0] += y;
      s[1] += 1;
    }
    Map<Point, Double> table = new HashMap<>();
    sums.forEach((p, s) -> table.put(p, s[0] / s[1]));
    boolean maximise =
        switch (goal.toLowerCase(java.util.Locale.ROOT)) {
          case "max", "maximize", "maximise" -> true;
          case "min", "minimize", "minimise" -> false;
          default -> throw new IllegalArgumentException("--goal: '" + goal + "' is not max or min");
        };
    double[] sorted = table.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
    // The top 1 %: of 1,728 reactions, the 17 best (1 % rounded down, at least one).
    int top = Math.max(1, (int) Math.floor(0.01 * sorted.length));
    double optimum = maximise ? sorted[sorted.length - 1] : sorted[0];
    double threshold = maximise ? sorted[sorted.length - top] : sorted[top - 1];
    Space space =
        new Space(
            parameters,
            List.of(),
            Optional.of(
                new CandidatePool(new ArrayList<>(sums.keySet()), file.getFileName().toString())));
    Objective objective =
        maximise ? new Objective.Maximize(output) : new Objective.Minimize(output);
    String name = file.getFileName().toString().replaceFirst("\\.csv$", "").replace('_', '-');
    return new PlannerBenchmarkProblem(
        name,
        space,
        objective,
        p -> {
          Double y = table.get(p);
          if (y == null)
            throw new IllegalStateException("planner suggested a point outside the pool: " + p);
          return y;
        },
        optimum,
        threshold);
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
