package io.labloop.planners.gp;

import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

/** Maximises a smooth function over a box with Smile's bounded L-BFGS (L-BFGS-B). */
public final class BoundedMaximizer {

  /** A function with its gradient. */
  public interface Objective {
    /** Returns the value at {@code x} and writes the gradient into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);
  }

  private BoundedMaximizer() {}

  /**
   * Starts at {@code start} and returns the best point found within [lo, hi]; if the search fails
   * (a non-finite value, a failed line search) the start or the last good point is returned.
   */
  public static double[] maximize(Objective objective, double[] start, double[] lo, double[] hi, int iterations) {
    double[] x = start.clone();
    DifferentiableMultivariateFunction negated = new DifferentiableMultivariateFunction() {
      @Override
      public double f(double[] p) {
        return -objective.valueAndGradient(p, new double[p.length]);
      }

      @Override
      public double g(double[] p, double[] gradient) {
        double v = objective.valueAndGradient(p, gradient);
        for (int i = 0; i < gradient.length; i++) gradient[i] = -gradient[i];
        return Double.isFinite(v) ? -v : 1e300;
      }
    };
    try {
      BFGS.minimize(negated, 5, x, lo, hi, 1e-6, iterations);
    } catch (RuntimeException e) {
      // Keep whatever point the search reached; the caller compares it with the start.
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) return start.clone();
      x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
    }
    return x;
  }
}
