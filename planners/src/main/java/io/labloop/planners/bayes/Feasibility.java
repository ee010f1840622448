package io.labloop.planners.bayes;

import java.util.List;

/**
 * The probability that an experiment at a cube position will succeed, learned from the failed ones
 * (unknown infeasibility: the reaction clogged, the sample did not form). A kernel-smoothed
 * classifier with a Beta prior: {@code p(x) = (a + Σ_ok w_i) / (a + b + Σ_all w_i)} where {@code
 * w_i = exp(-½ Σ_j ((x_j - x_ij)/l_j)²)} uses the objective model's fitted length-scales, capped at
 * {@value #MAX_BANDWIDTH} of the cube (a smooth objective must not make every failure count
 * everywhere), so "near" means near in the directions that matter. Far from every experiment p →
 * a/(a+b). The acquisition is multiplied by p (its log is added), so the planner steers away from
 * regions where experiments failed without ruling them out entirely.
 */
final class Feasibility {

  static final double MAX_BANDWIDTH = 0.15;
  private static final double PRIOR_OK = 0.5;
  private static final double PRIOR_FAILED = 0.05;

  private final List<double[]> ok;
  private final List<double[]> failed;
  private final double[] lengthscale;

  Feasibility(List<double[]> ok, List<double[]> failed, double[] lengthscale) {
    this.ok = ok;
    this.failed = failed;
    this.lengthscale = lengthscale.clone();
  }

  boolean isTrivial() {
    return failed.isEmpty();
  }

  double probability(double[] x) {
    if (failed.isEmpty()) return 1;
    double okWeight = 0;
    for (double[] p : ok) okWeight += weight(x, p);
    double failedWeight = 0;
    for (double[] p : failed) failedWeight += weight(x, p);
    return (PRIOR_OK + okWeight) / (PRIOR_OK + PRIOR_FAILED + okWeight + failedWeight);
  }

  private double weight(double[] x, double[] p) {
    double s = 0;
    // Only the cube's columns: a model input may carry task columns after them.
    for (int j = 0; j < lengthscale.length; j++) {
      double d = (x[j] - p[j]) / lengthscale[j];
      s += d * d;
    }
    return Math.exp(-0.5 * s);
  }
}
