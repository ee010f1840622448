package io.labloop.planners.bayes;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Admissible;
import io.labloop.planners.design.Sobol;
import io.labloop.planners.design.UnitCube;
import io.labloop.planners.gp.CandidatePosterior;
import io.labloop.planners.gp.GaussianProcess;
import io.labloop.planners.gp.NoiseModel;
import io.labloop.planners.pareto.NonDominatedBoxes;
import io.labloop.planners.pareto.Pareto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The model-based step of the {@code bayesian} planner for two or three objectives: exact expected
 * hypervolume improvement (EHVI), the default for several objectives ({@code acquisition: parego}
 * keeps the random-scalarisation alternative).
 *
 * <ol>
 *   <li>One Gaussian process per objective, fitted to that objective's losses (failed experiments
 *       imputed at its worst loss, as in the single-objective planner).
 *   <li>The front is the observed losses; the reference point is each objective's {@code
 *       worst-acceptable:} loss where the campaign gives one, otherwise 10 % of the observed range
 *       beyond the worst observed loss.
 *   <li>Each candidate (Sobol points and perturbations of the front's points, or the free pool
 *       rows) is scored by {@link ExpectedHypervolumeImprovement} times the feasibility
 *       probability; the best is refined by a short local search on the models (no gradients: EHVI
 *       is flat far from the front, and a few dozen model predictions are cheap).
 *   <li>Pending experiments and earlier members of the batch are fantasised (kriging believer):
 *       each model believes the point at its predicted mean, which shrinks the variance around it,
 *       and the predicted losses join the front, so the next member must improve on them to score.
 *       This is the sequential greedy batch of Yang et al. with the mean as the fantasy.
 * </ol>
 *
 * Where every candidate's EHVI underflows to zero (a front far from any plausible improvement),
 * candidates are ranked by the summed optimistic bound −Σ(μ_k − 2σ_k) in standardised units
 * instead, so the planner still explores rather than picking the first row.
 */
final class HypervolumePlanner {

  /** Objectives up to which the box decomposition stays small ((n+1)^(m−1) boxes). */
  static final int MAX_OBJECTIVES = 3;

  private static final int LOCAL_PER_POINT = 30;
  private static final double[] LOCAL_SPREAD = {0.1, 0.02, 0.004};
  private static final int REFINE_ROUNDS = 3;
  private static final int REFINE_PER_ROUND = 24;

  private final long seed;
  private final int candidateCount;

  /** The campaign's {@code noise:} (auto or none; a sd has no meaning across objectives). */
  private final NoiseModel noise;

  HypervolumePlanner(long seed, int candidateCount, NoiseModel noise) {
    this.seed = seed;
    this.candidateCount = candidateCount;
    this.noise = noise;
  }

  List<Suggestion> suggest(PlanningState state, List<Observation> ok, int n, String plannerName) {
    UnitCube cube = new UnitCube(state.space());
    Admissible admissible = new Admissible(state);
    int d = cube.dimension();
    List<Objective> objectives = state.objectives();
    int m = objectives.size();
    long round = state.observations().size() + state.pending().size();
    SplittableRandom random = new SplittableRandom(BayesianPlanner.mix(seed, round + 11));

    double[][] x = ok.stream().map(o -> cube.encode(o.point())).toArray(double[][]::new);
    List<double[]> observed = new ArrayList<>();
    for (Observation o : ok) {
      double[] l = new double[m];
      for (int k = 0; k < m; k++)
        l[k] = objectives.get(k).loss(o.values().get(objectives.get(k).name()));
      observed.add(l);
    }
    List<double[]> failed =
        state.observations().stream()
            .filter(o -> !o.isOk())
            .map(o -> cube.encode(o.point()))
            .toList();
    double[][] modelX = new double[x.length + failed.size()][];
    for (int i = 0; i < x.length; i++) modelX[i] = x[i];
    for (int i = 0; i < failed.size(); i++) modelX[x.length + i] = failed.get(i);
    GaussianProcess[] gps = new GaussianProcess[m];
    double[] lengthscale = new double[d];
    Arrays.fill(lengthscale, Feasibility.MAX_BANDWIDTH);
    for (int k = 0; k < m; k++) {
      final int objective = k;
      double worst = observed.stream().mapToDouble(l -> l[objective]).max().orElse(0);
      double[] y = new double[modelX.length];
      for (int i = 0; i < y.length; i++) y[i] = i < x.length ? observed.get(i)[k] : worst;
      gps[k] =
          GaussianProcess.fit(
              modelX,
              y,
              BayesianPlanner.mix(seed, round + 1 + 1000L * k),
              cube.parameterOfColumn(),
              cube.categoricalParameters(),
              noise);
      for (int j = 0; j < d; j++) lengthscale[j] = Math.min(lengthscale[j], gps[k].lengthscale(j));
    }
    Feasibility feasibility = new Feasibility(Arrays.asList(x), failed, lengthscale);
    double[] reference = reference(objectives, observed);

    List<double[]> front = new ArrayList<>(observed);
    for (Point p : state.pending()) {
      double[] u = cube.encode(p);
      front.add(predictedLosses(gps, u));
      for (GaussianProcess gp : gps) gp.believe(u);
    }

    boolean pool = state.space().pool().isPresent();
    List<double[]> candidates = new ArrayList<>();
    List<Point> candidatePoints = new ArrayList<>();
    if (pool) {
      for (Point p : admissible.freePoolRows()) {
        candidates.add(cube.encode(p));
        candidatePoints.add(p);
      }
    } else {
      List<double[]> raw =
          new ArrayList<>(
              Arrays.asList(
                  new Sobol(d, BayesianPlanner.mix(seed, round + 2)).points(0, candidateCount)));
      for (int i : Pareto.front(observed)) {
        for (int k = 0; k < LOCAL_PER_POINT; k++)
          raw.add(perturb(x[i], LOCAL_SPREAD[k % LOCAL_SPREAD.length], random));
      }
      for (double[] u : raw) {
        Point p = cube.decode(u);
        if (admissible.allows(p)) {
          candidates.add(cube.encode(p));
          candidatePoints.add(p);
        }
      }
    }
    if (candidates.isEmpty()) return List.of();
    double[][] candidateArray = candidates.toArray(double[][]::new);
    CandidatePosterior[] posteriors = new CandidatePosterior[m];
    for (int k = 0; k < m; k++) posteriors[k] = gps[k].posterior(candidateArray);
    double[] logFeasible = new double[candidates.size()];
    for (int c = 0; c < logFeasible.length; c++)
      logFeasible[c] = Math.log(feasibility.probability(candidates.get(c)));

    Map<String, Double> details = details(state, cube, gps, observed, reference);
    boolean[] used = new boolean[candidates.size()];
    List<Suggestion> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      ExpectedHypervolumeImprovement ehvi =
          new ExpectedHypervolumeImprovement(NonDominatedBoxes.of(front, reference));
      double[] score = new double[candidates.size()];
      double[] optimism = new double[candidates.size()];
      int best = -1;
      double top = 0;
      for (int c = 0; c < score.length; c++) {
        if (used[c]) continue;
        double[] mean = new double[m];
        double[] sd = new double[m];
        double bound = 0;
        for (int k = 0; k < m; k++) {
          double s = Math.sqrt(posteriors[k].variance(c));
          mean[k] = gps[k].toOutput(posteriors[k].mean(c));
          sd[k] = gps[k].toOutputScale(s);
          bound -= posteriors[k].mean(c) - 2 * s;
        }
        score[c] = ehvi.value(mean, sd) * Math.exp(logFeasible[c]);
        optimism[c] = bound + logFeasible[c];
        if (best < 0 || score[c] > top) {
          best = c;
          top = score[c];
        }
      }
      if (best < 0) break;
      boolean flat = !(top > 0);
      if (flat) {
        for (int c = 0; c < score.length; c++)
          if (!used[c] && optimism[c] > optimism[best]) best = c;
      }
      double[] chosen = candidates.get(best);
      Point chosenPoint = candidatePoints.get(best);
      double chosenScore = score[best];
      if (!pool && !flat) {
        double[] refined =
            refine(ehvi, gps, feasibility, cube, admissible, chosen, chosenScore, random);
        if (refined != null) {
          chosen = refined;
          chosenPoint = cube.decode(refined);
          chosenScore = ehviAt(ehvi, gps, feasibility, refined);
        }
      }
      if (!admissible.take(chosenPoint)) {
        // Every candidate was admissible when collected; a refined point was checked. A pool row
        // can coincide with an earlier batch member only if the pool repeats a row.
        used[best] = true;
        b--;
        continue;
      }
      used[best] = true;
      Map<String, Double> own = new LinkedHashMap<>(details);
      int second = -1;
      for (int c = 0; c < score.length; c++) {
        if (!used[c] && (second < 0 || score[c] > score[second])) second = c;
      }
      if (second >= 0 && !flat)
        Alternative.describe(candidatePoints.get(second), score[second], own);
      Map<String, Double> predictedMean = new LinkedHashMap<>();
      Map<String, Double> predictedSd = new LinkedHashMap<>();
      StringBuilder said = new StringBuilder();
      double[] predicted = new double[m];
      for (int k = 0; k < m; k++) {
        GaussianProcess.Prediction pr = gps[k].predict(chosen);
        double mean = gps[k].toOutput(pr.mean());
        double sd = gps[k].toOutputScale(Math.sqrt(pr.variance()));
        predicted[k] = mean;
        Objective o = objectives.get(k);
        String key = o instanceof Objective.Target ? o.name() + ".distance" : o.name();
        double shown = o instanceof Objective.Maximize ? -mean : mean;
        predictedMean.put(key, shown);
        predictedSd.put(key, sd);
        said.append(k == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%s %.4g ± %.2g", key, shown, sd));
      }
      if (!feasibility.isTrivial()) own.put("feasibility", feasibility.probability(chosen));
      String reason =
          flat
              ? "EHVI is zero everywhere; most optimistic point at predicted " + said
              : String.format(Locale.ROOT, "EHVI %.3g at predicted %s", chosenScore, said);
      if (b > 0 || !state.pending().isEmpty())
        reason += " (after fantasising " + (state.pending().size() + b) + " pending/batch points)";
      out.add(
          new Suggestion(
              chosenPoint, plannerName, reason, chosenScore, predictedMean, predictedSd, own));
      front.add(predicted);
      for (CandidatePosterior p : posteriors) p.believe(chosen);
    }
    return out;
  }

  /**
   * The reference point: per objective, the worst acceptable loss if the campaign states one, else
   * 10 % of the observed range beyond the worst observed loss.
   */
  static double[] reference(List<Objective> objectives, List<double[]> observed) {
    double[] auto = Pareto.reference(observed);
    double[] out = new double[objectives.size()];
    for (int k = 0; k < out.length; k++) {
      double w = objectives.get(k).worstLoss();
      out[k] = Double.isNaN(w) ? auto[k] : w;
    }
    return out;
  }

  private static double[] predictedLosses(GaussianProcess[] gps, double[] u) {
    double[] out = new double[gps.length];
    for (int k = 0; k < gps.length; k++) out[k] = gps[k].toOutput(gps[k].predict(u).mean());
    return out;
  }

  private static double ehviAt(
      ExpectedHypervolumeImprovement ehvi,
      GaussianProcess[] gps,
      Feasibility feasibility,
      double[] u) {
    double[] mean = new double[gps.length];
    double[] sd = new double[gps.length];
    for (int k = 0; k < gps.length; k++) {
      GaussianProcess.Prediction pr = gps[k].predict(u);
      mean[k] = gps[k].toOutput(pr.mean());
      sd[k] = gps[k].toOutputScale(Math.sqrt(pr.variance()));
    }
    return ehvi.value(mean, sd) * feasibility.probability(u);
  }

  /**
   * A short local random search from {@code start}: each round tries perturbations at a shrinking
   * spread and moves to the best admissible one that raises EHVI. Returns null if nothing beat the
   * start.
   */
  private static double[] refine(
      ExpectedHypervolumeImprovement ehvi,
      GaussianProcess[] gps,
      Feasibility feasibility,
      UnitCube cube,
      Admissible admissible,
      double[] start,
      double startScore,
      SplittableRandom random) {
    double[] best = null;
    double bestScore = startScore;
    double[] centre = start;
    double spread = 0.05;
    for (int r = 0; r < REFINE_ROUNDS; r++, spread /= 4) {
      for (int t = 0; t < REFINE_PER_ROUND; t++) {
        Point p = cube.decode(perturb(centre, spread, random));
        if (!admissible.allows(p)) continue;
        double[] u = cube.encode(p);
        double s = ehviAt(ehvi, gps, feasibility, u);
        if (s > bestScore) {
          best = u;
          bestScore = s;
        }
      }
      if (best != null) centre = best;
    }
    return best;
  }

  private static double[] perturb(double[] centre, double spread, SplittableRandom random) {
    double[] u = new double[centre.length];
    for (int j = 0; j < u.length; j++)
      u[j] = Math.min(1, Math.max(0, centre[j] + spread * random.nextGaussian()));
    return u;
  }

  private static Map<String, Double> details(
      PlanningState state,
      UnitCube cube,
      GaussianProcess[] gps,
      List<double[]> observed,
      double[] reference) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> columns = cube.columns();
    List<Objective> objectives = state.objectives();
    for (int k = 0; k < gps.length; k++) {
      String o = objectives.get(k).name();
      for (int j = 0; j < columns.size(); j++) {
        String column = columns.get(j);
        String parameter = column.contains("=") ? column.substring(0, column.indexOf('=')) : column;
        out.merge("lengthscale." + o + "." + parameter, gps[k].lengthscale(j), Math::min);
      }
      out.put("noise.sd." + o, gps[k].noiseSd());
      out.put("reference." + o, reference[k]);
    }
    out.put("model.points", (double) observed.size());
    List<double[]> front = Pareto.front(observed).stream().map(observed::get).toList();
    out.put("pareto.size", (double) front.size());
    out.put("pareto.hypervolume", Pareto.hypervolume(front, reference));
    return out;
  }
}
