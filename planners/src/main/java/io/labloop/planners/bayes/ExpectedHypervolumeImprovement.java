package io.labloop.planners.bayes;

import io.labloop.planners.pareto.NonDominatedBoxes;

/**
 * Exact expected hypervolume improvement of a point whose objective losses are independent
 * Gaussians (one model per objective), over the box decomposition of the non-dominated region.
 *
 * <p>The improvement of an outcome y is {@code Σ_b Π_k (u_bk − max(l_bk, y_k))₊} over the boxes b
 * of {@link NonDominatedBoxes}. With independent objectives the expectation of each product is the
 * product of expectations, and for Y ~ N(μ, σ²) and l < u
 *
 * <pre>
 *   E[(u − max(l, Y))₊] = E[(u − Y)₊] − E[(l − Y)₊] = σ (h((u − μ)/σ) − h((l − μ)/σ)),
 * </pre>
 *
 * with h(z) = zΦ(z) + φ(z) (check the three cases Y ≤ l, l < Y < u, Y ≥ u); h(−∞) = 0. For two
 * objectives this is the standard closed form over the n + 1 strips of the front; for three it is
 * exact over the (n + 1)² columns. h is evaluated once per axis level, so a candidate costs O(m·n)
 * normal-tail evaluations plus O(boxes) multiplications.
 */
final class ExpectedHypervolumeImprovement {

  private final NonDominatedBoxes boxes;
  private final double[][] levels;

  ExpectedHypervolumeImprovement(NonDominatedBoxes boxes) {
    this.boxes = boxes;
    this.levels = new double[boxes.objectives()][];
    for (int k = 0; k < levels.length; k++) levels[k] = boxes.levels(k);
  }

  /**
   * EHVI at a point with predicted loss means {@code mean} and standard deviations {@code sd} (>
   * 0).
   */
  double value(double[] mean, double[] sd) {
    int m = levels.length;
    // psi[k][i] = E[(levels[k][i] − Y_k)₊] = σ h((level − μ)/σ).
    double[][] psi = new double[m][];
    for (int k = 0; k < m; k++) {
      double[] lv = levels[k];
      double[] row = new double[lv.length];
      for (int i = 0; i < lv.length; i++) {
        row[i] = Double.isInfinite(lv[i]) ? 0 : expectedShortfall(lv[i], mean[k], sd[k]);
      }
      psi[k] = row;
    }
    double total = 0;
    for (int b = 0; b < boxes.size(); b++) {
      double v = 1;
      for (int k = 0; k < m && v > 0; k++) {
        v *= Math.max(0, psi[k][boxes.upperIndex(b, k)] - psi[k][boxes.lowerIndex(b, k)]);
      }
      total += v;
    }
    return total;
  }

  /** E[(u − Y)₊] for Y ~ N(μ, σ²); {@code (u − μ)₊} when σ is 0. */
  static double expectedShortfall(double u, double mu, double sigma) {
    if (!(sigma > 0)) return Math.max(0, u - mu);
    double z = (u - mu) / sigma;
    if (z < -38) return 0;
    return sigma * Math.exp(Gaussian.logH(z));
  }
}
