package io.labloop.planners.gp;

/**
 * The posterior mean and variance (standardised units) at a fixed set of candidates, kept up to
 * date as batch points are believed: each {@link #believe} costs O(n·m) instead of a new solve.
 */
public final class CandidatePosterior {

  private final GaussianProcess model;
  private final double[][] candidates;
  private final double[] mean;
  private final double[] variance;
  private double[][] v;

  CandidatePosterior(
      GaussianProcess model,
      double[][] candidates,
      double[] mean,
      double[] variance,
      double[][] v) {
    this.model = model;
    this.candidates = candidates;
    this.mean = mean;
    this.variance = variance;
    this.v = v;
  }

  public int size() {
    return candidates.length;
  }

  public double mean(int c) {
    return mean[c];
  }

  public double variance(int c) {
    return variance[c];
  }

  /**
   * Adds {@code x} to the model as a kriging-believer fantasy and updates every candidate's
   * variance by the new row of {@code L⁻¹ K(X, C)}.
   */
  public void believe(double[] x) {
    Cholesky factor = model.factor();
    int n = factor.size;
    model.believe(x);
    double[] row = factor.rows[n];
    int m = candidates.length;
    double[] newRow = new double[m];
    for (int c = 0; c < m; c++) {
      double s = model.kernelValue(x, candidates[c]);
      for (int i = 0; i < n; i++) s -= row[i] * v[i][c];
      newRow[c] = s / row[n];
    }
    v = java.util.Arrays.copyOf(v, n + 1);
    v[n] = newRow;
    double floor = 1e-12 * model.signalVariance();
    for (int c = 0; c < m; c++) variance[c] = Math.max(floor, variance[c] - newRow[c] * newRow[c]);
  }
}
