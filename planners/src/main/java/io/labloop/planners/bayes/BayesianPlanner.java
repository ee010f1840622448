package io.labloop.planners.bayes;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Admissible;
import io.labloop.planners.design.Designs;
import io.labloop.planners.design.Sobol;
import io.labloop.planners.design.UnitCube;
import io.labloop.planners.gp.BoundedMaximizer;
import io.labloop.planners.gp.GaussianProcess;
import io.labloop.planners.gp.NoiseModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bayesian optimisation, one call at a time, rebuilt from the state (no hidden state):
 *
 * <ol>
 *   <li>Until {@code initial} experiments exist, points come from the scrambled Sobol design.
 *   <li>Each successful observation becomes a position in the unit cube and a loss (the objective's
 *       {@link Objective#loss}; with several objectives a ParEGO scalarisation: losses scaled to
 *       [0, 1] and combined by an augmented Chebyshev norm with random weights drawn from the seed
 *       and the number of observations). Two or three objectives go to {@link HypervolumePlanner}
 *       (expected hypervolume improvement) unless the campaign chose ParEGO.
 *   <li>A Gaussian process is fitted to the losses (noise fitted or held, as the campaign's {@code
 *       noise:} says); pending experiments are added as kriging believers so their neighbourhood is
 *       no longer attractive. With {@code hyperparameter-samples} and at most {@value
 *       #SAMPLE_LIMIT} rows, the hyperparameters are drawn from their posterior instead and the
 *       acquisition is averaged over the draws ({@link ModelAverage}).
 *   <li>Candidates: a Sobol set (or the free rows of the candidate pool) plus perturbations of the
 *       best points, each rounded to a makeable point and kept only if it satisfies the constraints
 *       and is not already run or pending. All are scored in one pass; the best few are polished by
 *       bounded L-BFGS on the acquisition (continuous spaces only).
 *   <li>A batch is built greedily: each chosen point is believed before the next is chosen.
 * </ol>
 *
 * Failed experiments train a {@link Feasibility} model whose log-probability is added to the
 * acquisition. If the model cannot be fitted the planner falls back to the Sobol design rather than
 * stopping the campaign.
 */
final class BayesianPlanner implements Planner {

  private static final Logger log = LoggerFactory.getLogger(BayesianPlanner.class);
  private static final int LOCAL_PER_POINT = 40;
  private static final int LOCAL_CENTRES = 5;
  private static final double[] LOCAL_SPREAD = {0.1, 0.02, 0.004};

  /** L-BFGS polishes for the first point of a call, and for each further batch point. */
  private static final int RESTARTS = 10;

  private static final int BATCH_RESTARTS = 3;
  private static final int POLISH_ITERATIONS = 100;

  /**
   * Up to this many model rows the hyperparameters are sampled; beyond, the maximum a posteriori
   * only.
   */
  static final int SAMPLE_LIMIT = 80;

  private final long seed;
  private final int initial;

  /** The acquisitions that propose points: one, or the GP-Hedge portfolio. */
  private final List<AcquisitionFunction> portfolio;

  private final int candidateCount;
  private final NoiseModel noise;

  /** EHVI for two or three objectives, or null when the campaign chose ParEGO. */
  private final HypervolumePlanner hypervolume;

  /**
   * Hyperparameter draws the acquisition is averaged over (0: the maximum a posteriori fit only).
   */
  private final int samples;

  /** Whether continuous searches are confined to a {@link TrustRegion}. */
  private final boolean trustRegion;

  BayesianPlanner(Bayesian.Builder config) {
    this.seed = config.seed;
    this.initial = config.initial;
    this.portfolio =
        config.acquisition == Bayesian.Acquisition.HEDGE
            ? List.of(
                new AcquisitionFunction(Bayesian.Acquisition.EI, config.beta),
                new AcquisitionFunction(Bayesian.Acquisition.PI, config.beta),
                new AcquisitionFunction(Bayesian.Acquisition.UCB, config.beta))
            : List.of(new AcquisitionFunction(config.acquisition, config.beta));
    this.candidateCount = config.candidates;
    this.noise = config.noise;
    this.hypervolume =
        config.multiObjective == Bayesian.MultiObjective.EHVI
            ? new HypervolumePlanner(config.seed, config.candidates, config.noise)
            : null;
    this.samples = config.hyperparameterSamples;
    this.trustRegion = config.trustRegion;
  }

  @Override
  public String name() {
    return "bayesian";
  }

  @Override
  public List<Suggestion> suggest(PlanningState state, int n) {
    int initialPoints = initial > 0 ? initial : Math.max(5, 2 * state.space().parameters().size());
    List<Observation> ok =
        state.observations().stream()
            .filter(o -> o.isOk() && WarmStart.hasAll(o, state.objectives()))
            .toList();
    // Prior data count towards the initial design: a warm-started model takes over as soon as it
    // has as many points, its own and earlier ones, as a cold start would.
    int prior =
        state.prior().isEmpty()
            ? 0
            : WarmStart.of(state, new UnitCube(state.space()), seed).observations().size();
    if (state.observations().size() + prior < initialPoints || ok.size() + prior < 2) {
      return initialDesign(state, n, "initial design");
    }
    try {
      int m = state.objectives().size();
      if (hypervolume != null && m > 1 && m <= HypervolumePlanner.MAX_OBJECTIVES) {
        // EHVI uses earlier data of the same setting as observations (other tasks: not yet).
        List<Observation> known = new ArrayList<>(ok);
        if (!state.prior().isEmpty())
          known.addAll(WarmStart.of(state, new UnitCube(state.space()), seed).sameTask(state));
        if (known.size() < 2) return initialDesign(state, n, "initial design");
        return hypervolume.suggest(state, known, n, name());
      }
      return modelled(state, ok, n, initialPoints);
    } catch (RuntimeException e) {
      log.warn(
          "model-based suggestion failed ({}); using the space-filling design for this batch",
          e.toString());
      log.debug("model failure", e);
      return initialDesign(state, n, "fall-back design after a model failure");
    }
  }

  private List<Suggestion> initialDesign(PlanningState state, int n, String why) {
    return Designs.sobol(seed).suggest(state, n).stream()
        .map(s -> Suggestion.of(s.point(), name(), why + " (Sobol)"))
        .toList();
  }

  private List<Suggestion> modelled(
      PlanningState state, List<Observation> ok, int n, int initialPoints) {
    UnitCube cube = new UnitCube(state.space());
    Admissible admissible = new Admissible(state);
    int d = cube.dimension();
    long round = state.observations().size() + state.pending().size();
    SplittableRandom random = new SplittableRandom(mix(seed, round));

    WarmStart warm = WarmStart.of(state, cube, seed);
    double[][] x = ok.stream().map(o -> cube.encode(o.point())).toArray(double[][]::new);
    List<Observation> measured = new ArrayList<>(ok);
    measured.addAll(warm.observations());
    // Losses of the campaign's observations first, then of the prior rows (one scale for both).
    Losses losses = Losses.of(state.objectives(), measured, random);
    List<double[]> failed =
        state.observations().stream()
            .filter(o -> !o.isOk())
            .map(o -> cube.encode(o.point()))
            .toList();
    // Failed experiments enter the model at the worst loss seen (imputation), so the mean rises
    // and the uncertainty falls where they happened; the feasibility model then discounts their
    // neighbourhood further.
    double worst = Arrays.stream(losses.scalar()).max().orElse(0);
    int priorRows = warm.positions().size();
    double[][] modelX = new double[x.length + failed.size() + priorRows][];
    double[] modelY = new double[modelX.length];
    for (int i = 0; i < x.length; i++) {
      modelX[i] = warm.own(x[i]);
      modelY[i] = losses.scalar()[i];
    }
    for (int i = 0; i < failed.size(); i++) {
      modelX[x.length + i] = warm.own(failed.get(i));
      modelY[x.length + i] = worst;
    }
    for (int i = 0; i < priorRows; i++) {
      modelX[x.length + failed.size() + i] = warm.positions().get(i);
      modelY[x.length + failed.size() + i] = losses.scalar()[x.length + i];
    }
    // Every position with a value, in the campaign's own task: where the incumbent is sought and
    // around which local candidates are drawn.
    double[][] known = new double[x.length + priorRows][];
    for (int i = 0; i < x.length; i++) known[i] = x[i];
    for (int i = 0; i < priorRows; i++)
      known[x.length + i] = Arrays.copyOf(warm.positions().get(i), d);
    double[][] knownInput = Arrays.stream(known).map(warm::own).toArray(double[][]::new);
    // With few observations the hyperparameters are uncertain: the acquisition is averaged over
    // draws from their posterior. Beyond SAMPLE_LIMIT the posterior is narrow and the maximum a
    // posteriori alone does as well at a fraction of the cost.
    int draws = modelX.length <= SAMPLE_LIMIT ? samples : 0;
    List<GaussianProcess> fits =
        GaussianProcess.fitSamples(
            modelX,
            modelY,
            mix(seed, round + 1),
            warm.group(cube.parameterOfColumn()),
            warm.categorical(cube.categoricalParameters()),
            noise,
            draws,
            x.length + failed.size());
    GaussianProcess gp = fits.get(0);
    // The fitted length-scales of the campaign's own columns: they shape the trust region, and
    // (capped) the feasibility model's bandwidths.
    double[] lengthscale = new double[d];
    for (int j = 0; j < d; j++) lengthscale[j] = gp.lengthscale(j);
    Feasibility feasibility =
        new Feasibility(
            Arrays.asList(x),
            failed,
            Arrays.stream(lengthscale).map(l -> Math.min(l, Feasibility.MAX_BANDWIDTH)).toArray());

    // The average over draws; the maximum a posteriori fit alone when there are draws to average.
    ModelAverage models =
        new ModelAverage(fits.size() > 1 ? fits.subList(1, fits.size()) : fits, knownInput);
    for (Point p : state.pending()) {
      models.believe(warm.own(cube.encode(p)));
      if (fits.size() > 1) gp.believe(warm.own(cube.encode(p)));
    }

    // The incumbent (each model's own, in ModelAverage) is the best posterior mean over the
    // observed points, not the best noisy
    // observation: with a fitted noise the lowest observation is biased low (it is the minimum
    // of noisy draws), and measuring improvement against it would make EI too greedy near lucky
    // points. With no noise the two coincide. (BoTorch's noisy EI integrates over the same
    // posterior at the observed points; this is its plug-in form.)

    boolean pool = state.space().pool().isPresent();
    // The trust region needs a box of the campaign's own cube: no pool, no prior-data task column,
    // and every parameter continuous.
    TrustRegion.Box box =
        trustRegion
                && !pool
                && warm.isEmpty()
                && state.space().parameters().stream()
                    .allMatch(p -> p instanceof Parameter.Continuous)
            ? TrustRegion.of(x, losses.scalar(), initialPoints, lengthscale)
            : null;
    List<double[]> candidates = new ArrayList<>();
    List<Point> candidatePoints = new ArrayList<>();
    if (pool) {
      for (Point p : admissible.freePoolRows()) {
        candidates.add(warm.own(cube.encode(p)));
        candidatePoints.add(p);
      }
    } else {
      Sobol sobol = new Sobol(d, mix(seed, round + 2));
      List<double[]> raw = new ArrayList<>(Arrays.asList(sobol.points(0, candidateCount)));
      raw.addAll(localCandidates(known, losses.scalar(), random));
      if (box != null) {
        for (int i = 0; i < raw.size(); i++)
          raw.set(i, i < candidateCount ? box.scale(raw.get(i)) : box.clamp(raw.get(i)));
      }
      for (int i = 0; i < raw.size(); i++) {
        Point p = cube.decode(raw.get(i));
        if (admissible.allows(p)) {
          candidates.add(warm.own(cube.encode(p)));
          candidatePoints.add(p);
        }
      }
    }
    if (candidates.isEmpty())
      return pool ? List.of() : initialDesign(state, n, "no admissible candidate scored;");

    models.scoreCandidates(candidates.toArray(double[][]::new));
    double[] logFeasible = new double[candidates.size()];
    for (int c = 0; c < logFeasible.length; c++)
      logFeasible[c] = Math.log(feasibility.probability(candidates.get(c)));

    boolean continuous =
        !pool
            && state.space().parameters().stream().anyMatch(p -> p instanceof Parameter.Continuous);
    boolean[] used = new boolean[candidates.size()];
    List<Suggestion> out = new ArrayList<>();
    Map<String, Double> details = details(state, cube, gp, losses);
    if (box != null) details.put("trust.side", box.side());
    if (!warm.isEmpty()) {
      details.put("prior.points", (double) priorRows);
      details.putAll(warm.agreement(gp, Arrays.asList(x.length >= 2 ? x : known)));
    }
    // The hedge draw has its own stream, so a portfolio of one consumes exactly the random
    // numbers it did before the portfolio existed.
    SplittableRandom hedgeRandom = new SplittableRandom(mix(seed, round + 3));
    double[][] bounds = box != null ? new double[][] {box.lower(), box.upper()} : warm.bounds();
    Scoring scoring = new Scoring(models, logFeasible, feasibility, warm, bounds);
    for (int k = 0; k < n; k++) {
      List<Proposal> proposals = new ArrayList<>();
      for (AcquisitionFunction a : portfolio) {
        Proposal p =
            propose(
                a,
                scoring,
                cube,
                admissible,
                candidates,
                candidatePoints,
                used,
                continuous,
                k == 0 ? RESTARTS : BATCH_RESTARTS,
                random);
        if (p != null) proposals.add(p);
      }
      if (proposals.isEmpty()) break;
      Map<String, Double> own = new LinkedHashMap<>(details);
      Proposal pick =
          proposals.size() == 1
              ? proposals.get(0)
              : proposals.get(Hedge.pick(proposals, gp, hedgeRandom, own));
      double[] chosen = pick.x();
      if (!admissible.take(pick.point()))
        throw new IllegalStateException("checked as admissible: " + pick.point());
      used[pick.index()] = true;
      int[] rest = ranking(pick.acquisition(), scoring, used);
      if (rest.length > 0)
        Alternative.describe(
            candidatePoints.get(rest[0]), score(pick.acquisition(), scoring, rest[0]), own);
      GaussianProcess.Prediction pr = gp.predict(chosen);
      double mean = gp.toOutput(pr.mean());
      double sd = gp.toOutputScale(Math.sqrt(pr.variance()));
      Map<String, Double> predictedMean = new LinkedHashMap<>();
      Map<String, Double> predictedSd = new LinkedHashMap<>();
      losses.describe(mean, sd, predictedMean, predictedSd);
      if (!feasibility.isTrivial()) own.put("feasibility", feasibility.probability(chosen));
      String hedged =
          proposals.size() > 1
              ? String.format(
                  java.util.Locale.ROOT,
                  "hedge chose %s (p %.2f): ",
                  pick.acquisition().label(),
                  own.get("hedge.probability"))
              : "";
      String reason =
          String.format(
              java.util.Locale.ROOT,
              "%s%s %.3g at predicted %s %.4g ± %.2g%s",
              hedged,
              pick.acquisition().label(),
              pick.score(),
              losses.label(),
              losses.reported(mean),
              sd,
              k > 0 || !state.pending().isEmpty()
                  ? " (after believing " + (state.pending().size() + k) + " pending/batch points)"
                  : "");
      out.add(
          new Suggestion(
              pick.point(), name(), reason, pick.score(), predictedMean, predictedSd, own));
      models.believe(chosen);
      if (fits.size() > 1) gp.believe(chosen);
    }
    return out;
  }

  /**
   * What one batch step scores against: the models and their posteriors at the candidates,
   * feasibility.
   */
  private record Scoring(
      ModelAverage models,
      double[] logFeasible,
      Feasibility feasibility,
      WarmStart warm,
      double[][] bounds) {}

  /**
   * One acquisition's choice for the next point: its position, the point, its score and candidate
   * index.
   */
  record Proposal(
      AcquisitionFunction acquisition, double[] x, Point point, double score, int index) {}

  /**
   * The maximiser of {@code a}: the best raw candidate or, in a continuous space, the best of the
   * L-BFGS polishes started from it and from Boltzmann-sampled others. Null when no admissible
   * candidate is left. Takes nothing: the caller takes the proposal it keeps.
   */
  private Proposal propose(
      AcquisitionFunction a,
      Scoring s,
      UnitCube cube,
      Admissible admissible,
      List<double[]> candidates,
      List<Point> candidatePoints,
      boolean[] used,
      boolean continuous,
      int restartCount,
      SplittableRandom random) {
    int[] order = ranking(a, s, used);
    if (order.length == 0) return null;
    double[] chosen = null;
    Point chosenPoint = null;
    double chosenScore = Double.NEGATIVE_INFINITY;
    int chosenIndex = -1;
    // Polish from the best candidate and from others drawn with probability ∝ exp(standardised
    // score) (Boltzmann sampling, as BoTorch picks its restarts from its raw samples): mostly
    // good points, but from several basins, so a distant basin gets its chance against the
    // incumbent's neighbourhood. Later batch members get fewer starts (they matter less and
    // the batch must stay fast).
    List<Integer> starts =
        continuous ? restarts(a, s, used, order, restartCount, random) : List.of();
    for (int start : starts) {
      double[] polished = polish(a, s, candidates.get(start));
      Point pp = cube.decode(polished);
      double[] snapped = s.warm().own(cube.encode(pp));
      double ps = s.models().at(a, snapped, null) + Math.log(s.feasibility().probability(snapped));
      if (ps > chosenScore && admissible.allows(pp)) {
        chosen = snapped;
        chosenPoint = pp;
        chosenScore = ps;
        chosenIndex = start;
      }
    }
    // The best raw candidate competes with the polished points (and is the choice when none is
    // admissible).
    for (int r = 0; r < order.length; r++) {
      int c = order[r];
      double score = score(a, s, c);
      if (chosen != null && score <= chosenScore) break;
      if (admissible.allows(candidatePoints.get(c))) {
        chosen = candidates.get(c);
        chosenPoint = candidatePoints.get(c);
        chosenScore = score;
        chosenIndex = c;
        break;
      }
      used[c] = true;
    }
    return chosen == null ? null : new Proposal(a, chosen, chosenPoint, chosenScore, chosenIndex);
  }

  private static int[] ranking(AcquisitionFunction a, Scoring s, boolean[] used) {
    List<Integer> idx = new ArrayList<>();
    double[] scores = new double[used.length];
    for (int c = 0; c < used.length; c++) {
      if (used[c]) continue;
      scores[c] = score(a, s, c);
      if (!Double.isNaN(scores[c])) idx.add(c);
    }
    // Stable order: by score, then by index, so equal scores resolve the same way every run.
    idx.sort(
        (i, j) ->
            scores[i] != scores[j] ? Double.compare(scores[j], scores[i]) : Integer.compare(i, j));
    return idx.stream().mapToInt(Integer::intValue).limit(256).toArray();
  }

  /**
   * The best-ranked candidate plus up to {@code count - 1} others drawn without replacement with
   * weights {@code exp((s - mean(s)) / sd(s))} over the scores s of every unused candidate.
   */
  private static List<Integer> restarts(
      AcquisitionFunction a,
      Scoring scoring,
      boolean[] used,
      int[] order,
      int count,
      SplittableRandom random) {
    List<Integer> out = new ArrayList<>();
    if (order.length == 0) return out;
    out.add(order[0]);
    int m = used.length;
    double[] s = new double[m];
    double sum = 0;
    double sumSq = 0;
    int valid = 0;
    for (int c = 0; c < m; c++) {
      s[c] = used[c] ? Double.NaN : score(a, scoring, c);
      if (Double.isFinite(s[c])) {
        sum += s[c];
        sumSq += s[c] * s[c];
        valid++;
      }
    }
    if (valid < 2) return out;
    double mean = sum / valid;
    double sd = Math.sqrt(Math.max(sumSq / valid - mean * mean, 0));
    double top = Arrays.stream(s).filter(Double::isFinite).max().orElse(mean);
    double[] w = new double[m];
    for (int c = 0; c < m; c++) {
      // Relative to the top score so that exp never overflows.
      w[c] = Double.isFinite(s[c]) && c != order[0] ? Math.exp(sd > 0 ? (s[c] - top) / sd : 0) : 0;
    }
    while (out.size() < count) {
      double total = 0;
      for (double v : w) total += v;
      if (!(total > 0)) break;
      double u = random.nextDouble() * total;
      int pick = -1;
      for (int c = 0; c < m && pick < 0; c++) {
        u -= w[c];
        if (u <= 0 && w[c] > 0) pick = c;
      }
      if (pick < 0) pick = lastPositive(w);
      out.add(pick);
      w[pick] = 0;
    }
    return out;
  }

  private static int lastPositive(double[] w) {
    for (int c = w.length - 1; c >= 0; c--) if (w[c] > 0) return c;
    throw new IllegalStateException("no positive weight");
  }

  private static double score(AcquisitionFunction a, Scoring s, int c) {
    return s.models().candidate(a, c) + s.logFeasible()[c];
  }

  private static double[] polish(AcquisitionFunction acquisition, Scoring s, double[] start) {
    return BoundedMaximizer.maximize(
        (u, gradient) -> s.models().at(acquisition, u, gradient),
        start,
        s.bounds()[0],
        s.bounds()[1],
        POLISH_ITERATIONS);
  }

  /** Perturbations of the best observed points, at several spreads, for local refinement. */
  private static List<double[]> localCandidates(
      double[][] x, double[] loss, SplittableRandom random) {
    Integer[] order = new Integer[x.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(
        order,
        (a, b) -> loss[a] != loss[b] ? Double.compare(loss[a], loss[b]) : Integer.compare(a, b));
    List<double[]> out = new ArrayList<>();
    for (int r = 0; r < Math.min(LOCAL_CENTRES, order.length); r++) {
      double[] centre = x[order[r]];
      for (int k = 0; k < LOCAL_PER_POINT; k++) {
        double spread = LOCAL_SPREAD[k % LOCAL_SPREAD.length];
        double[] u = new double[centre.length];
        for (int j = 0; j < u.length; j++)
          u[j] = Math.min(1, Math.max(0, centre[j] + spread * random.nextGaussian()));
        out.add(u);
      }
    }
    return out;
  }

  private Map<String, Double> details(
      PlanningState state, UnitCube cube, GaussianProcess gp, Losses losses) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> columns = cube.columns();
    for (int j = 0; j < columns.size(); j++) {
      String column = columns.get(j);
      String parameter = column.contains("=") ? column.substring(0, column.indexOf('=')) : column;
      // A categorical parameter's relevance is its most relevant value (shortest length-scale).
      out.merge("lengthscale." + parameter, gp.lengthscale(j), Math::min);
    }
    out.put("signal.sd", gp.signalSd());
    out.put("noise.sd", gp.noiseSd());
    out.put(
        "model.points", (double) state.observations().stream().filter(Observation::isOk).count());
    out.putAll(losses.pareto());
    return out;
  }

  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
