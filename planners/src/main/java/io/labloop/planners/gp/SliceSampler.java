package io.labloop.planners.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws from a density known up to a constant, inside a box, by coordinate-wise slice sampling with
 * stepping out and shrinkage (Neal, "Slice sampling", Ann. Statist. 2003). Used to draw
 * Gaussian-process hyperparameters from their posterior (marginal likelihood × prior) instead of
 * keeping only its mode: with few observations the mode is one of many equally plausible
 * explanations, and averaging the acquisition over several keeps the planner from betting
 * everything on one length-scale.
 *
 * <p>Why slice sampling: it needs no gradient and no step-size tuning (the slice adapts to the
 * density's scale, a bracket of width {@code width} is stepped out until it covers the slice), and
 * every move is accepted, so a short chain from the mode already mixes over the mode's
 * neighbourhood. Coordinates whose box has zero width (a hyperparameter the campaign holds fixed)
 * are left alone. Deterministic for a given seed.
 */
public final class SliceSampler {

  /** A log density (up to a constant); non-finite values mean "outside the support". */
  @FunctionalInterface
  public interface LogDensity {
    double at(double[] x);
  }

  private static final int MAX_STEPS_OUT = 8;
  private static final int MAX_SHRINKS = 60;

  private SliceSampler() {}

  /**
   * {@code count} draws: the chain starts at {@code start} (which must have a finite density), runs
   * {@code burnIn} sweeps over all coordinates, then keeps the state after every {@code thin}-th
   * sweep.
   */
  public static List<double[]> sample(
      LogDensity density,
      double[] start,
      double[] lo,
      double[] hi,
      double width,
      int burnIn,
      int count,
      int thin,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = start.clone();
    double fx = finite(density.at(x));
    if (fx == Double.NEGATIVE_INFINITY)
      throw new IllegalArgumentException("the start has no finite density");
    List<double[]> out = new ArrayList<>(count);
    int sweeps = burnIn + count * thin;
    for (int sweep = 1; sweep <= sweeps; sweep++) {
      for (int j = 0; j < x.length; j++) {
        if (!(hi[j] > lo[j])) continue;
        fx = step(density, x, fx, j, lo[j], hi[j], width, random);
      }
      if (sweep > burnIn && (sweep - burnIn) % thin == 0) out.add(x.clone());
    }
    return out;
  }

  /** One univariate slice-sampling update of coordinate j; returns the new log density. */
  private static double step(
      LogDensity density,
      double[] x,
      double fx,
      int j,
      double lo,
      double hi,
      double width,
      SplittableRandom random) {
    double x0 = x[j];
    // The slice: every point whose log density is above fx - Exp(1).
    double level = fx + Math.log(1 - random.nextDouble());
    double left = x0 - width * random.nextDouble();
    double right = left + width;
    int budget = MAX_STEPS_OUT;
    while (left > lo && budget-- > 0 && at(density, x, j, left) > level) left -= width;
    budget = MAX_STEPS_OUT;
    while (right < hi && budget-- > 0 && at(density, x, j, right) > level) right += width;
    left = Math.max(left, lo);
    right = Math.min(right, hi);
    for (int s = 0; s < MAX_SHRINKS; s++) {
      double candidate = left + (right - left) * random.nextDouble();
      double f = at(density, x, j, candidate);
      if (f > level) {
        x[j] = candidate;
        return f;
      }
      if (candidate < x0) {
        left = candidate;
      } else {
        right = candidate;
      }
    }
    x[j] = x0;
    return fx;
  }

  private static double at(LogDensity density, double[] x, int j, double value) {
    double keep = x[j];
    x[j] = value;
    double f = finite(density.at(x));
    x[j] = keep;
    return f;
  }

  private static double finite(double f) {
    return Double.isNaN(f) || f == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : f;
  }
}
