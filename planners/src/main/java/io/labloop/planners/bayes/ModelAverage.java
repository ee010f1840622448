package io.labloop.planners.bayes;

import io.labloop.planners.gp.CandidatePosterior;
import io.labloop.planners.gp.GaussianProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The acquisition averaged over several Gaussian processes that differ only in their
 * hyperparameters (draws from the hyperparameter posterior): a Monte-Carlo estimate of the
 * acquisition with the hyperparameters integrated out, which is what keeps small-data Bayesian
 * optimisation from trusting one fitted length-scale.
 *
 * <p>EI and PI are averaged as probabilities/expectations, in log space: {@code log((1/K) Σ
 * exp(a_k))}, so a model that sees a large improvement somewhere is not outvoted by the log of a
 * tiny one; its gradient is the softmax-weighted average of the models' gradients. UCB is averaged
 * as it is (a mean of means and bounds). Each model measures improvement against its own incumbent
 * (its best posterior mean at the observed points). With one model this is exactly that model's
 * acquisition.
 *
 * <p>The first model is the representative (the maximum a posteriori fit): it is the one reported
 * (length-scales, predicted mean ± sd) and the one the hedge and feasibility use.
 */
final class ModelAverage {

  private final List<GaussianProcess> models;
  private final double[] best;
  private final List<CandidatePosterior> posteriors = new ArrayList<>();

  /**
   * {@code observed}: the positions of the observations, for each model's incumbent. Pending points
   * must already be believed.
   */
  ModelAverage(List<GaussianProcess> models, double[][] observed) {
    if (models.isEmpty()) throw new IllegalArgumentException("need at least one model");
    this.models = List.copyOf(models);
    this.best = new double[models.size()];
    for (int k = 0; k < best.length; k++)
      best[k] = Arrays.stream(models.get(k).means(observed)).min().orElseThrow();
  }

  GaussianProcess representative() {
    return models.get(0);
  }

  double representativeBest() {
    return best[0];
  }

  int size() {
    return models.size();
  }

  /** Scores the whole candidate set once per model (one triangular solve each). */
  void scoreCandidates(double[][] candidates) {
    posteriors.clear();
    for (GaussianProcess gp : models) posteriors.add(gp.posterior(candidates));
  }

  /** The averaged acquisition at candidate c (after {@link #scoreCandidates}). */
  double candidate(AcquisitionFunction a, int c) {
    int k = models.size();
    double[] v = new double[k];
    for (int i = 0; i < k; i++) {
      CandidatePosterior p = posteriors.get(i);
      v[i] = a.value(p.mean(c), Math.sqrt(p.variance(c)), best[i]);
    }
    return combine(a, v, null);
  }

  /**
   * The averaged acquisition at x; if {@code gradient} is not null, its gradient in x is written
   * there.
   */
  double at(AcquisitionFunction a, double[] x, double[] gradient) {
    int k = models.size();
    int d = x.length;
    double[] v = new double[k];
    double[][] g = gradient == null ? null : new double[k][d];
    for (int i = 0; i < k; i++) {
      GaussianProcess.Prediction p = models.get(i).predict(x);
      double sd = Math.sqrt(p.variance());
      double[] w = a.withPartials(p.mean(), sd, best[i]);
      v[i] = w[0];
      if (g != null) {
        for (int j = 0; j < d; j++)
          g[i][j] = w[1] * p.dMean()[j] + w[2] * p.dVariance()[j] / (2 * sd);
      }
    }
    double[] weights = g == null ? null : new double[k];
    double value = combine(a, v, weights);
    if (gradient != null) {
      Arrays.fill(gradient, 0);
      for (int i = 0; i < k; i++) for (int j = 0; j < d; j++) gradient[j] += weights[i] * g[i][j];
    }
    return value;
  }

  /** Adds x to every model (and every candidate posterior) as a kriging-believer fantasy. */
  void believe(double[] x) {
    if (posteriors.isEmpty()) {
      for (GaussianProcess gp : models) gp.believe(x);
    } else {
      for (CandidatePosterior p : posteriors) p.believe(x);
    }
  }

  /**
   * The average of {@code v} (log-mean-exp for log acquisitions, the mean for UCB); the weight of
   * each model in the average's derivative goes into {@code weights} when not null.
   */
  private static double combine(AcquisitionFunction a, double[] v, double[] weights) {
    int k = v.length;
    if (k == 1) {
      if (weights != null) weights[0] = 1;
      return v[0];
    }
    if (!a.logarithmic()) {
      double sum = 0;
      for (double x : v) sum += x;
      if (weights != null) Arrays.fill(weights, 1.0 / k);
      return sum / k;
    }
    double top = Double.NEGATIVE_INFINITY;
    for (double x : v) top = Math.max(top, x);
    if (top == Double.NEGATIVE_INFINITY || Double.isNaN(top)) {
      if (weights != null) Arrays.fill(weights, 1.0 / k);
      return top;
    }
    double total = 0;
    for (double x : v) total += Math.exp(x - top);
    if (weights != null) for (int i = 0; i < k; i++) weights[i] = Math.exp(v[i] - top) / total;
    return top + Math.log(total / k);
  }
}
