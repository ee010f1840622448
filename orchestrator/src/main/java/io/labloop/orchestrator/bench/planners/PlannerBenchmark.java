package io.labloop.orchestrator.bench.planners;

import io.labloop.planners.Observation;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a planner on a {@link PlannerBenchmarkProblem} for several seeds, in synchronous batches:
 * ask for {@code batch} points, evaluate them all, repeat until {@code evals} evaluations. Each run
 * records the simple regret after every evaluation and the wall time per suggestion (a batch's time
 * divided by its size). On a noisy problem the planner is given the noisy measurements, and the
 * regret is that of the best noiseless value among the points run so far (what the planner found,
 * not how lucky its noise was).
 */
public final class PlannerBenchmark {

  /** One seed's curve. */
  public record Run(
      String problem,
      String planner,
      long seed,
      double[] regret,
      double[] seconds,
      int toTopOnePercent) {}

  private final PlannerBenchmarkProblem problem;
  private final String planner;
  private final Map<String, Object> options;

  public PlannerBenchmark(
      PlannerBenchmarkProblem problem, String planner, Map<String, Object> options) {
    this.problem = problem;
    this.planner = planner;
    this.options = Map.copyOf(options);
  }

  /**
   * One run with {@code seed}; {@code toTopOnePercent} is evals + 1 if never reached (or no
   * dataset).
   */
  public Run run(long seed, int evals, int batch) {
    Planner p = Planners.create(new PlannerSpec(planner, seed, options));
    List<Observation> observations = new ArrayList<>();
    double[] regret = new double[evals];
    double[] seconds = new double[evals];
    double best = Double.NaN;
    int toTop = evals + 1;
    boolean maximise = problem.objective() instanceof io.labloop.planners.Objective.Maximize;
    // The measurement noise of a noisy problem: its own stream per seed, the same for every
    // planner.
    SplittableRandom noise = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x6A09E667F3BCC909L);
    while (observations.size() < evals) {
      int k = Math.min(batch, evals - observations.size());
      PlanningState state =
          new PlanningState(problem.space(), List.of(problem.objective()), observations, List.of());
      long start = System.nanoTime();
      List<Suggestion> suggestions = p.suggest(state, k);
      double each = (System.nanoTime() - start) / 1e9 / Math.max(1, suggestions.size());
      if (suggestions.isEmpty()) break;
      for (Suggestion s : suggestions) {
        if (observations.size() >= evals) break;
        Point point = s.point();
        double y = problem.evaluate().applyAsDouble(point);
        double measured = problem.noiseSd() > 0 ? y + problem.noiseSd() * noise.nextGaussian() : y;
        observations.add(Observation.ok(point, Map.of(problem.objective().name(), measured)));
        if (Double.isNaN(best) || (maximise ? y > best : y < best)) best = y;
        int i = observations.size() - 1;
        regret[i] = problem.regret(best);
        seconds[i] = each;
        if (problem.isDataset()
            && toTop > evals
            && (maximise ? best >= problem.topOnePercent() : best <= problem.topOnePercent())) {
          toTop = observations.size();
        }
      }
    }
    int done = observations.size();
    return new Run(
        problem.name(),
        planner,
        seed,
        Arrays.copyOf(regret, done),
        Arrays.copyOf(seconds, done),
        toTop);
  }

  /**
   * Median and inter-quartile range of {@code values} (linear interpolation between order
   * statistics).
   */
  public record Spread(double median, double q1, double q3) {
    public static Spread of(double[] values) {
      double[] s = values.clone();
      Arrays.sort(s);
      return new Spread(quantile(s, 0.5), quantile(s, 0.25), quantile(s, 0.75));
    }

    private static double quantile(double[] sorted, double q) {
      if (sorted.length == 0) return Double.NaN;
      double pos = q * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(sorted.length - 1, lo + 1);
      return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
  }
}
