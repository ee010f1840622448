package io.labloop.orchestrator.bench.planners;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.pareto.Pareto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Two-objective problems of {@code labloop bench planners --problem moo}: a planner runs for a
 * fixed number of evaluations and the hypervolume regret (the true front's hypervolume minus the
 * observed front's, against a fixed reference point) is recorded after each.
 *
 * <p>Problems, as BoTorch's test suite defines them (so the figures compare with published ones):
 *
 * <ul>
 *   <li>{@code branin-currin}: x in [0, 1]², f1 = Branin on (15x1 − 5, 15x2), f2 = Currin's
 *       exponential function; reference (18, 6), best hypervolume 59.36011874867746.
 *   <li>{@code dtlz2}: x in [0, 1]⁶, two objectives, g = Σ_{i≥2}(x_i − 0.5)², f1 = (1 + g)
 *       cos(πx1/2), f2 = (1 + g) sin(πx1/2); the front is the quarter circle of radius 1, so
 *       against the reference (1.1, 1.1) the best hypervolume is 1.21 − π/4.
 * </ul>
 *
 * Both objectives are minimised; the reference point is given to the planner as the objectives'
 * {@code worst-acceptable:} values (EHVI uses it; ParEGO and random search ignore it).
 */
public final class MultiObjectiveBenchmark {

  /**
   * A problem: its space, the objective values at a point, the reference point and the best
   * hypervolume.
   */
  public record Problem(
      String name,
      Space space,
      Function<double[], double[]> f,
      double[] reference,
      double bestHypervolume) {
    /**
     * Both minimised, with the reference point as their {@code worst-acceptable:} values: the
     * campaign states what it measures against, as a lab would state which results are of use.
     */
    public List<Objective> objectives() {
      return List.of(
          new Objective.Minimize("f1", reference[0]), new Objective.Minimize("f2", reference[1]));
    }
  }

  /** One seed's curve of hypervolume regret after each evaluation, and seconds per suggestion. */
  public record Run(String problem, String planner, long seed, double[] regret, double[] seconds) {}

  public static final List<String> NAMES = List.of("branin-currin", "dtlz2");

  private MultiObjectiveBenchmark() {}

  public static Optional<Problem> problem(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "branin-currin" ->
          Optional.of(
              new Problem(
                  "branin-currin",
                  box(2),
                  MultiObjectiveBenchmark::braninCurrin,
                  new double[] {18, 6},
                  59.36011874867746));
      case "dtlz2" ->
          Optional.of(
              new Problem(
                  "dtlz2",
                  box(6),
                  MultiObjectiveBenchmark::dtlz2,
                  new double[] {1.1, 1.1},
                  1.21 - Math.PI / 4));
      default -> Optional.empty();
    };
  }

  /**
   * The planner a bench label names: {@code ehvi} and {@code parego} are the bayesian planner with
   * that acquisition; any other label is a planner type with no options.
   */
  public static PlannerSpec spec(String label, long seed) {
    return switch (label) {
      case "ehvi", "parego" -> new PlannerSpec("bayesian", seed, Map.of("acquisition", label));
      default -> new PlannerSpec(label, seed, Map.of());
    };
  }

  /** One run of the planner {@code spec} (its seed is the run's), reported under {@code label}. */
  public static Run run(Problem problem, PlannerSpec spec, String label, int evals) {
    long seed = spec.seed();
    Planner planner = Planners.create(spec);
    List<Observation> observations = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    double[] regret = new double[evals];
    double[] seconds = new double[evals];
    int d = problem.space().parameters().size();
    while (observations.size() < evals) {
      PlanningState state =
          new PlanningState(problem.space(), problem.objectives(), observations, List.of());
      long start = System.nanoTime();
      List<Suggestion> suggestions = planner.suggest(state, 1);
      double each = (System.nanoTime() - start) / 1e9;
      if (suggestions.isEmpty()) break;
      Point p = suggestions.get(0).point();
      double[] x = new double[d];
      for (int i = 0; i < d; i++) x[i] = p.number("x" + (i + 1));
      double[] f = problem.f().apply(x);
      Map<String, Double> measured = new LinkedHashMap<>();
      measured.put("f1", f[0]);
      measured.put("f2", f[1]);
      observations.add(Observation.ok(p, measured));
      values.add(f);
      int i = observations.size() - 1;
      List<double[]> front = Pareto.front(values).stream().map(values::get).toList();
      regret[i] = problem.bestHypervolume() - Pareto.hypervolume(front, problem.reference());
      seconds[i] = each;
    }
    return new Run(problem.name(), label, seed, regret, seconds);
  }

  static double[] braninCurrin(double[] x) {
    double a = 15 * x[0] - 5;
    double b = 15 * x[1];
    double branin =
        Math.pow(b - 5.1 / (4 * Math.PI * Math.PI) * a * a + 5 / Math.PI * a - 6, 2)
            + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a)
            + 10;
    double u = x[0];
    double factor = x[1] == 0 ? 1 : 1 - Math.exp(-1 / (2 * x[1]));
    double currin =
        factor
            * (2300 * u * u * u + 1900 * u * u + 2092 * u + 60)
            / (100 * u * u * u + 500 * u * u + 4 * u + 20);
    return new double[] {branin, currin};
  }

  static double[] dtlz2(double[] x) {
    double g = 0;
    for (int i = 1; i < x.length; i++) g += (x[i] - 0.5) * (x[i] - 0.5);
    double angle = Math.PI / 2 * x[0];
    return new double[] {(1 + g) * Math.cos(angle), (1 + g) * Math.sin(angle)};
  }

  private static Space box(int d) {
    List<Parameter> parameters = new ArrayList<>();
    for (int i = 0; i < d; i++) parameters.add(new Parameter.Continuous("x" + (i + 1), 0, 1));
    return new Space(parameters, List.of());
  }
}
