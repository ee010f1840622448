package io.labloop.planners.gp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Minimises a smooth function over a box [lo, hi] by projected limited-memory BFGS: the
 * quasi-Newton direction is computed on the free variables only (those not held at a bound by a
 * gradient pointing out of the box), and each step is a backtracking (Armijo) line search along the
 * projected path {@code clamp(x + t·d)}.
 *
 * <p>Why our own and not Smile's {@code BFGS.minimize} with bounds (its L-BFGS-B): when no
 * correction pair passes the curvature test (a flat start, a step that lands on a bound), Smile
 * factors a 0 × 0 matrix for the subspace step; LAPACK rejects it (GETRS argument 8, "LDB", must be
 * ≥ 1), Smile logs {@code ERROR Matrix: LAPACK GETRS error code: -8} and throws, and the search
 * stops where it happened to be. On log-EI, which is flat far from the data, that occurred several
 * times per campaign, each time as an ERROR line in the user's console and a polish cut short. This
 * minimiser has no such state: with no usable pair it takes the projected steepest-descent step.
 *
 * <p>Stops when the projected gradient's largest component is below {@code gradientTolerance}, when
 * the value changes by less than 1e-12 relative, after {@code iterations} steps, or when the line
 * search finds no decrease. Non-finite values count as "no decrease" and are backed away from.
 * Deterministic.
 */
public final class BoxLbfgs {

  /** A function with its gradient. */
  public interface Function {
    /** Returns f(x) and writes ∇f(x) into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);
  }

  /** Where the search ended and how many steps it took. */
  public record Result(double[] x, double value, int iterations) {}

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 40;
  private static final double RELATIVE_DECREASE = 1e-12;

  private BoxLbfgs() {}

  /** Minimises {@code f} over [lo, hi] from {@code start} (clamped into the box first). */
  public static Result minimize(
      Function f,
      double[] start,
      double[] lo,
      double[] hi,
      double gradientTolerance,
      int iterations) {
    int n = start.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = clamp(start[i], lo[i], hi[i]);
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    if (!Double.isFinite(fx) || !allFinite(g)) return new Result(x, fx, 0);
    Deque<double[][]> pairs = new ArrayDeque<>();
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    int it = 0;
    while (it < iterations) {
      boolean[] free = new boolean[n];
      double projected = 0;
      for (int i = 0; i < n; i++) {
        boolean heldLow = x[i] <= lo[i] && g[i] > 0;
        boolean heldHigh = x[i] >= hi[i] && g[i] < 0;
        free[i] = !heldLow && !heldHigh;
        if (free[i]) projected = Math.max(projected, Math.abs(g[i]));
      }
      if (projected <= gradientTolerance) break;
      double[] d = direction(g, free, pairs);
      double slope = dot(d, g);
      if (!(slope < 0)) {
        // Not a descent direction (a stale pair after a bound became active): steepest descent.
        pairs.clear();
        for (int i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
      }
      // The first step has no curvature information: move at most 1/|g|∞ in any coordinate
      // (which, in the unit cube, is a fraction of the box).
      double t = pairs.isEmpty() ? Math.min(1, 1 / maxAbs(d)) : 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int b = 0; b < MAX_BACKTRACKS; b++) {
        for (int i = 0; i < n; i++) xNew[i] = clamp(x[i] + t * d[i], lo[i], hi[i]);
        double decrease = 0;
        for (int i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
        if (decrease >= 0) break; // the projected step no longer descends: nothing left to gain
        fNew = f.valueAndGradient(xNew, gNew);
        if (Double.isFinite(fNew) && allFinite(gNew) && fNew <= fx + ARMIJO * decrease) {
          accepted = true;
          break;
        }
        t *= 0.5;
      }
      if (!accepted) break;
      it++;
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xNew[i] - x[i];
        y[i] = gNew[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
        if (pairs.size() == MEMORY) pairs.removeFirst();
        pairs.addLast(new double[][] {s, y, {1 / sy}});
      }
      boolean stalled =
          Math.abs(fx - fNew)
              <= RELATIVE_DECREASE * Math.max(1, Math.max(Math.abs(fx), Math.abs(fNew)));
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (stalled) break;
    }
    return new Result(x, fx, it);
  }

  /** −H·g on the free variables by the two-loop recursion (held variables do not move). */
  private static double[] direction(double[] g, boolean[] free, Deque<double[][]> pairs) {
    int n = g.length;
    double[] q = new double[n];
    for (int i = 0; i < n; i++) q[i] = free[i] ? g[i] : 0;
    int m = pairs.size();
    double[] alpha = new double[m];
    double[][][] list = pairs.toArray(new double[0][][]);
    for (int k = m - 1; k >= 0; k--) {
      double[] s = list[k][0];
      double[] y = list[k][1];
      alpha[k] = list[k][2][0] * maskedDot(s, q, free);
      for (int i = 0; i < n; i++) if (free[i]) q[i] -= alpha[k] * y[i];
    }
    if (m > 0) {
      double[] s = list[m - 1][0];
      double[] y = list[m - 1][1];
      double yy = dot(y, y);
      double gamma = yy > 0 ? dot(s, y) / yy : 1;
      for (int i = 0; i < n; i++) q[i] *= gamma;
    }
    for (int k = 0; k < m; k++) {
      double[] s = list[k][0];
      double[] y = list[k][1];
      double beta = list[k][2][0] * maskedDot(y, q, free);
      for (int i = 0; i < n; i++) if (free[i]) q[i] += (alpha[k] - beta) * s[i];
    }
    for (int i = 0; i < n; i++) q[i] = free[i] ? -q[i] : 0;
    return q;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.min(hi, Math.max(lo, v));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  private static double maskedDot(double[] a, double[] b, boolean[] mask) {
    double s = 0;
    for (int i = 0; i < a.length; i++) if (mask[i]) s += a[i] * b[i];
    return s;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) m = Math.max(m, Math.abs(v));
    return m > 0 ? m : 1;
  }

  private static boolean allFinite(double[] a) {
    return Arrays.stream(a).allMatch(Double::isFinite);
  }
}
