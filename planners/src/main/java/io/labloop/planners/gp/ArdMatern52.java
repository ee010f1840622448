package io.labloop.planners.gp;

import smile.math.kernel.MercerKernel;

/**
 * Matérn-5/2 kernel with one length-scale per input (automatic relevance determination): {@code
 * k(x, y) = s² (1 + √5 r + 5/3 r²) exp(-√5 r)} with {@code r² = Σ (x_i - y_i)² / l_i²}.
 *
 * <p>Hyperparameters, in Smile's order, are {@code l_1 .. l_d, s²}. {@link #kg} returns the value
 * followed by the derivative with respect to each of them. They are analytic and have no
 * singularity at r = 0: {@code ∂k/∂l_i = s² 5/3 (1 + √5 r) exp(-√5 r) (x_i - y_i)² / l_i³}. (Smile
 * 3.1.1's own Matérn kernel is isotropic and its {@code kg} is wrong for ν = 2.5.)
 */
final class ArdMatern52 implements MercerKernel<double[]>, Covariance {

  static final double SQRT5 = Math.sqrt(5);

  private final double[] lengthscale;
  private final double variance;
  private final double[] lo;
  private final double[] hi;

  ArdMatern52(double[] lengthscale, double variance, double[] lo, double[] hi) {
    this.lengthscale = lengthscale.clone();
    this.variance = variance;
    this.lo = lo.clone();
    this.hi = hi.clone();
  }

  @Override
  public int dimension() {
    return lengthscale.length;
  }

  @Override
  public double lengthscale(int i) {
    return lengthscale[i];
  }

  @Override
  public double variance() {
    return variance;
  }

  /**
   * Length-scales by {@code group}, then s² at index {@code gradient.length - 2} (the noise is
   * last).
   */
  @Override
  public void addHyperparameterGradient(
      double[] x, double[] y, double weight, int[] group, double[] gradient) {
    double r = distance(x, y);
    double f = weight * derivativeFactor(r);
    for (int j = 0; j < lengthscale.length; j++) {
      double diff = x[j] - y[j];
      gradient[group[j]] += f * diff * diff / (lengthscale[j] * lengthscale[j]);
    }
    gradient[gradient.length - 2] += weight * ofDistance(r);
  }

  @Override
  public void addInputGradient(double[] x, double[] y, double weight, double[] gradient) {
    double f = weight * derivativeFactor(distance(x, y));
    for (int j = 0; j < lengthscale.length; j++)
      gradient[j] -= f * (x[j] - y[j]) / (lengthscale[j] * lengthscale[j]);
  }

  /** Scaled distance r between x and y. */
  double distance(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < lengthscale.length; i++) {
      double d = (x[i] - y[i]) / lengthscale[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /** The kernel as a function of the scaled distance. */
  double ofDistance(double r) {
    return variance * (1 + SQRT5 * r + 5.0 / 3.0 * r * r) * Math.exp(-SQRT5 * r);
  }

  /**
   * The common factor of every derivative: {@code s² 5/3 (1 + √5 r) exp(-√5 r)}, so that {@code
   * ∂k/∂x_j = -factor (x_j - y_j) / l_j²} and {@code ∂k/∂l_j = factor (x_j - y_j)² / l_j³}.
   */
  double derivativeFactor(double r) {
    return variance * 5.0 / 3.0 * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
  }

  @Override
  public double k(double[] x, double[] y) {
    return ofDistance(distance(x, y));
  }

  @Override
  public double[] kg(double[] x, double[] y) {
    int d = lengthscale.length;
    double r = distance(x, y);
    double[] g = new double[d + 2];
    g[0] = ofDistance(r);
    double f = derivativeFactor(r);
    for (int i = 0; i < d; i++) {
      double diff = x[i] - y[i];
      g[i + 1] = f * diff * diff / (lengthscale[i] * lengthscale[i] * lengthscale[i]);
    }
    g[d + 1] = g[0] / variance;
    return g;
  }

  @Override
  public ArdMatern52 of(double[] params) {
    double[] l = new double[lengthscale.length];
    System.arraycopy(params, 0, l, 0, l.length);
    return new ArdMatern52(l, params[l.length], lo, hi);
  }

  @Override
  public double[] hyperparameters() {
    double[] p = new double[lengthscale.length + 1];
    System.arraycopy(lengthscale, 0, p, 0, lengthscale.length);
    p[lengthscale.length] = variance;
    return p;
  }

  @Override
  public double[] lo() {
    return lo.clone();
  }

  @Override
  public double[] hi() {
    return hi.clone();
  }

  @Override
  public String toString() {
    return "ARD Matérn-5/2(l=" + java.util.Arrays.toString(lengthscale) + ", s²=" + variance + ")";
  }
}
