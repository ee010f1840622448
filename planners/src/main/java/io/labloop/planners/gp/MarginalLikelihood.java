package io.labloop.planners.gp;

import java.util.Arrays;
import java.util.stream.IntStream;
import smile.math.DifferentiableMultivariateFunction;

/**
 * Negative log marginal likelihood plus negative log prior ({@link Priors}) over θ = (log l_1..log
 * l_g, log s², log noise) — with categorical groups, θ = (log l_1..log l_g, log s_m², log s_c², log
 * s_p², log noise) for the {@link MixedKernel} — with its analytic gradient.
 */
final class MarginalLikelihood implements DifferentiableMultivariateFunction {
  private final double[][] x;
  private final double[] y;
  private final int[] group;
  private final int groups;
  private final boolean[] categorical;
  private final boolean mixed;
  private final boolean hasContinuous;

  MarginalLikelihood(double[][] x, double[] y) {
    this(x, y, IntStream.range(0, x[0].length).toArray());
  }

  MarginalLikelihood(double[][] x, double[] y, int[] group) {
    this(x, y, group, new boolean[Arrays.stream(group).max().orElse(-1) + 1]);
  }

  MarginalLikelihood(double[][] x, double[] y, int[] group, boolean[] categorical) {
    this.x = x;
    this.y = y;
    this.group = group.clone();
    this.groups = Arrays.stream(group).max().orElse(-1) + 1;
    if (categorical.length != groups)
      throw new IllegalArgumentException("need one categorical flag per group");
    this.categorical = categorical.clone();
    boolean anyCategorical = false;
    boolean anyContinuous = false;
    for (boolean c : categorical) {
      anyCategorical |= c;
      anyContinuous |= !c;
    }
    this.mixed = anyCategorical;
    this.hasContinuous = anyContinuous;
  }

  /** Number of hyperparameters: length-scales, signal variance(s), noise. */
  int size() {
    return groups + (mixed ? MixedKernel.varianceCount(hasContinuous) : 1) + 1;
  }

  Covariance kernel(double[] theta) {
    int d = x[0].length;
    if (mixed) return mixedKernel(theta);
    double[] l = new double[d];
    for (int i = 0; i < d; i++) l[i] = Math.exp(theta[group[i]]);
    double[] lo = new double[d + 1];
    double[] hi = new double[d + 1];
    Arrays.fill(lo, 0, d, Math.exp(GaussianProcess.LOG_L_MIN));
    Arrays.fill(hi, 0, d, Math.exp(GaussianProcess.LOG_L_MAX));
    lo[d] = Math.exp(GaussianProcess.LOG_S2_MIN);
    hi[d] = Math.exp(GaussianProcess.LOG_S2_MAX);
    return new ArdMatern52(l, Math.exp(theta[groups]), lo, hi);
  }

  private MixedKernel mixedKernel(double[] theta) {
    int d = x[0].length;
    int[] continuous = IntStream.range(0, d).filter(j -> !categorical[group[j]]).toArray();
    double[] continuousLengthscale =
        Arrays.stream(continuous).mapToDouble(j -> Math.exp(theta[group[j]])).toArray();
    int[] categoricalGroups = IntStream.range(0, groups).filter(g -> categorical[g]).toArray();
    int[][] categories =
        Arrays.stream(categoricalGroups)
            .mapToObj(g -> IntStream.range(0, d).filter(j -> group[j] == g).toArray())
            .toArray(int[][]::new);
    double[] categoryLengthscale =
        Arrays.stream(categoricalGroups).mapToDouble(g -> Math.exp(theta[g])).toArray();
    int v = groups;
    return hasContinuous
        ? new MixedKernel(
            d,
            continuous,
            continuousLengthscale,
            categories,
            categoryLengthscale,
            Math.exp(theta[v]),
            Math.exp(theta[v + 1]),
            Math.exp(theta[v + 2]))
        : new MixedKernel(
            d,
            continuous,
            continuousLengthscale,
            categories,
            categoryLengthscale,
            0,
            Math.exp(theta[v]),
            0);
  }

  @Override
  public double f(double[] theta) {
    // Line searches ask for values only: skip the O(n³) inverse the gradient needs.
    return evaluate(theta, null);
  }

  @Override
  public double g(double[] theta, double[] gradient) {
    return evaluate(theta, gradient);
  }

  private double evaluate(double[] theta, double[] gradient) {
    int n = x.length;
    int g = groups;
    int last = theta.length - 1;
    Covariance k = kernel(theta);
    double noise = Math.exp(theta[last]);
    Cholesky chol;
    try {
      chol = Cholesky.factor(GaussianProcess.covariance(k, noise, x));
    } catch (ArithmeticException e) {
      if (gradient != null) Arrays.fill(gradient, 0);
      return 1e10;
    }
    double m = GaussianProcess.constantMean(chol, y);
    double[] residual = new double[n];
    for (int i = 0; i < n; i++) residual[i] = y[i] - m;
    double[] a = chol.solve(residual);
    double value =
        0.5 * dot(residual, a) + 0.5 * chol.logDeterminant() + 0.5 * n * Math.log(2 * Math.PI);
    if (gradient == null) {
      value += Priors.negativeLogPrior(theta, g, null);
      return Double.isFinite(value) ? value : 1e10;
    }
    double[][] inv = chol.inverse();
    Arrays.fill(gradient, 0);
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < p; q++) {
        // W = ααᵀ - K⁻¹; off-diagonal pairs count twice.
        double w = 2 * (a[p] * a[q] - inv[p][q]);
        k.addHyperparameterGradient(x[p], x[q], w, group, gradient);
      }
      double w = a[p] * a[p] - inv[p][p];
      k.addHyperparameterGradient(x[p], x[p], w, group, gradient);
      gradient[last] += w * noise;
    }
    for (int j = 0; j <= last; j++) gradient[j] *= -0.5;
    value += Priors.negativeLogPrior(theta, g, gradient);
    return Double.isFinite(value) ? value : 1e10;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
