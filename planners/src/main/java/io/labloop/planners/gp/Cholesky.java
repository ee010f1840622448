package io.labloop.planners.gp;

/**
 * Lower-triangular Cholesky factor kept as rows of growing length, so that a point can be appended
 * in O(n²) (the kriging believer adds fantasy points one by one).
 *
 * <p>Factorisation adds jitter to the diagonal, growing tenfold from 1e-10 of the mean diagonal
 * until the matrix factorises: a near-singular kernel matrix (two experiments at almost the same
 * conditions) degrades the model slightly instead of stopping a campaign.
 */
final class Cholesky {

  private static final int MAX_JITTER_STEPS = 9;

  double[][] rows;
  int size;
  final double jitter;

  private Cholesky(double[][] rows, int size, double jitter) {
    this.rows = rows;
    this.size = size;
    this.jitter = jitter;
  }

  /** Factorises the symmetric matrix {@code a} (only its lower triangle is read). */
  static Cholesky factor(double[][] a) {
    int n = a.length;
    double meanDiagonal = 0;
    for (int i = 0; i < n; i++) meanDiagonal += a[i][i] / n;
    double jitter = 0;
    for (int step = 0; step <= MAX_JITTER_STEPS; step++) {
      double[][] l = tryFactor(a, jitter);
      if (l != null) return new Cholesky(l, n, jitter);
      jitter = jitter == 0 ? 1e-10 * Math.max(meanDiagonal, 1e-12) : jitter * 10;
    }
    throw new ArithmeticException(
        "kernel matrix is not positive definite even with jitter " + jitter);
  }

  private static double[][] tryFactor(double[][] a, double jitter) {
    int n = a.length;
    double[][] l = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] li = new double[i + 1];
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        double[] lj = l[j] == null ? li : l[j];
        for (int k = 0; k < j; k++) s -= li[k] * lj[k];
        if (i == j) {
          s += jitter;
          if (!(s > 0)) return null;
          li[i] = Math.sqrt(s);
        } else {
          li[j] = s / lj[j];
        }
      }
      l[i] = li;
    }
    return l;
  }

  /** Solves L z = b. */
  double[] forward(double[] b) {
    double[] z = new double[size];
    for (int i = 0; i < size; i++) {
      double s = b[i];
      double[] li = rows[i];
      for (int k = 0; k < i; k++) s -= li[k] * z[k];
      z[i] = s / li[i];
    }
    return z;
  }

  /** Solves Lᵀ z = b. */
  double[] backward(double[] b) {
    double[] z = b.clone();
    for (int i = size - 1; i >= 0; i--) {
      z[i] /= rows[i][i];
      double zi = z[i];
      double[] li = rows[i];
      for (int k = 0; k < i; k++) z[k] -= li[k] * zi;
    }
    return z;
  }

  /** Solves (L Lᵀ) z = b. */
  double[] solve(double[] b) {
    return backward(forward(b));
  }

  double logDeterminant() {
    double s = 0;
    for (int i = 0; i < size; i++) s += 2 * Math.log(rows[i][i]);
    return s;
  }

  /** The inverse of L Lᵀ as a full matrix. */
  double[][] inverse() {
    int n = size;
    // Columns of L^-1, computed row by row: (L^-1)_ij for j <= i.
    double[][] inv = new double[n][n];
    for (int j = 0; j < n; j++) {
      inv[j][j] = 1 / rows[j][j];
      for (int i = j + 1; i < n; i++) {
        double s = 0;
        double[] li = rows[i];
        for (int k = j; k < i; k++) s -= li[k] * inv[k][j];
        inv[i][j] = s / li[i];
      }
    }
    double[][] out = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b <= a; b++) {
        double s = 0;
        for (int k = a; k < n; k++) s += inv[k][a] * inv[k][b];
        out[a][b] = s;
        out[b][a] = s;
      }
    }
    return out;
  }

  /**
   * Appends a point whose covariances with the existing points are {@code k} and whose own variance
   * is {@code kk}; returns the new row (its last entry is the diagonal).
   */
  double[] append(double[] k, double kk) {
    double[] l = forward(k);
    double s = kk + jitter;
    for (double v : l) s -= v * v;
    double[] row = new double[size + 1];
    System.arraycopy(l, 0, row, 0, size);
    row[size] = Math.sqrt(Math.max(s, 1e-12 * Math.max(kk, 1e-12)));
    if (size == rows.length) rows = java.util.Arrays.copyOf(rows, Math.max(4, rows.length * 2));
    rows[size++] = row;
    return row;
  }
}
