package io.labloop.planners.gp;

/** Maximises a smooth function over a box with {@link BoxLbfgs} (projected L-BFGS). */
public final class BoundedMaximizer {

  /** A function with its gradient. */
  public interface Objective {
    /** Returns the value at {@code x} and writes the gradient into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);
  }

  private BoundedMaximizer() {}

  /**
   * Starts at {@code start} and returns the best point found within [lo, hi]; the search only
   * accepts steps that increase the value, so a non-finite value is backed away from.
   */
  public static double[] maximize(
      Objective objective, double[] start, double[] lo, double[] hi, int iterations) {
    BoxLbfgs.Result r =
        BoxLbfgs.minimize(
            (p, gradient) -> {
              double v = objective.valueAndGradient(p, gradient);
              for (int i = 0; i < gradient.length; i++) gradient[i] = -gradient[i];
              return -v;
            },
            start,
            lo,
            hi,
            1e-6,
            iterations);
    double[] x = r.x();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) return start.clone();
      x[i] = Math.min(hi[i], Math.max(lo[i], x[i]));
    }
    return x;
  }
}
