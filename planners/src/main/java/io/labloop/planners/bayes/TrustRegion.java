package io.labloop.planners.bayes;

/**
 * A TuRBO-style trust region (Eriksson et al., 2019), rebuilt from the campaign's history on every
 * call instead of kept between calls, so a resumed campaign gets the same box it would have had.
 *
 * <p>The algorithm: the model-based search is confined to a box around the lowest loss so far.
 * Every model-based experiment either improves on the best loss (by more than a thousandth of its
 * size: a success) or not (a failure). After {@value #SUCCESSES} successes in a row the box's side
 * doubles (up to {@value #MAX_SIDE}); after max({@value #MIN_FAILURES}, dimension) failures in a
 * row it halves. A box smaller than {@value #MIN_SIDE} has converged: TuRBO then starts afresh with
 * a new design; here the box returns to its starting side around the same best point (a global step
 * instead measured the same on every benchmark, since no run's box got that small: CHANGELOG). The
 * side is that of a cube of the same volume; the box is longer along parameters the model finds
 * less relevant (longer length-scales), as in TuRBO. The losses replayed are the campaign's
 * successful experiments in the order run (with several objectives and ParEGO, the current call's
 * scalarisation of them), so the same history always gives the same box.
 *
 * <p>Why: with few points a global expected improvement spends many of them on the edges and on far
 * basins that the fitted length-scales make look promising; the box keeps the search where the data
 * are and widens it only while it keeps paying. On many-local-minima functions (ackley) this is
 * what the literature measured as the gain; see docs/benchmarks.md for ours.
 */
final class TrustRegion {

  static final double START_SIDE = 0.8;
  static final double MAX_SIDE = 1.6;
  static final double MIN_SIDE = 1.0 / 128;
  static final int SUCCESSES = 3;
  static final int MIN_FAILURES = 4;

  /** The box in unit-cube coordinates, and the side of the cube of equal volume. */
  record Box(double[] lower, double[] upper, double side) {

    /** {@code u} from the unit cube mapped into the box. */
    double[] scale(double[] u) {
      double[] out = new double[u.length];
      for (int j = 0; j < u.length; j++) out[j] = lower[j] + u[j] * (upper[j] - lower[j]);
      return out;
    }

    /** {@code u} moved to the nearest point of the box. */
    double[] clamp(double[] u) {
      double[] out = new double[u.length];
      for (int j = 0; j < u.length; j++) out[j] = Math.min(upper[j], Math.max(lower[j], u[j]));
      return out;
    }
  }

  private TrustRegion() {}

  /**
   * The side after replaying {@code losses} (in the order the experiments were run) of which the
   * first {@code initial} came from the space-filling design.
   */
  static double side(double[] losses, int initial, int dimension) {
    int failuresAllowed = Math.max(MIN_FAILURES, dimension);
    double side = START_SIDE;
    double best = Double.POSITIVE_INFINITY;
    int successes = 0;
    int failures = 0;
    for (int i = 0; i < losses.length; i++) {
      double y = losses[i];
      if (!Double.isFinite(y)) continue;
      boolean better = y < best - 1e-3 * Math.abs(best);
      if (i >= initial) {
        if (better) {
          successes++;
          failures = 0;
        } else {
          failures++;
          successes = 0;
        }
        if (successes == SUCCESSES) {
          side = Math.min(2 * side, MAX_SIDE);
          successes = 0;
        } else if (failures == failuresAllowed) {
          side /= 2;
          failures = 0;
        }
        if (side < MIN_SIDE) side = START_SIDE;
      }
      if (y < best) best = y;
    }
    return side;
  }

  /**
   * The box of {@code side} around {@code centre}, each direction's extent in proportion to the
   * length-scale (normalised to a geometric mean of one, so the volume is side^d before clipping to
   * the unit cube).
   */
  static Box around(double[] centre, double side, double[] lengthscale) {
    int d = centre.length;
    // Length-scales held to TuRBO's [0.005, 2]: beyond, a parameter the model finds irrelevant
    // would squeeze every other side of the box to nothing.
    double[] log = new double[d];
    double logMean = 0;
    for (int j = 0; j < d; j++) {
      log[j] = Math.log(Math.min(2, Math.max(0.005, lengthscale[j])));
      logMean += log[j] / d;
    }
    double[] lower = new double[d];
    double[] upper = new double[d];
    for (int j = 0; j < d; j++) {
      double half = side * Math.exp(log[j] - logMean) / 2;
      lower[j] = Math.max(0, centre[j] - half);
      upper[j] = Math.min(1, centre[j] + half);
    }
    return new Box(lower, upper, side);
  }

  /** The box for the history: around the lowest finite loss, of the replayed side. */
  static Box of(double[][] x, double[] losses, int initial, double[] lengthscale) {
    int best = -1;
    for (int i = 0; i < losses.length; i++)
      if (Double.isFinite(losses[i]) && (best < 0 || losses[i] < losses[best])) best = i;
    if (best < 0) throw new IllegalArgumentException("no finite loss to centre the box on");
    return around(x[best], side(losses, initial, x[best].length), lengthscale);
  }
}
