package io.labloop.planners.gp;

/**
 * What the Gaussian process assumes about measurement noise: the campaign's {@code noise:} setting
 * ({@code auto | none | VALUE}).
 *
 * <ul>
 *   <li>{@link Fitted} ({@code auto}, the default): the noise variance is a hyperparameter fitted
 *       with the others. Right for real measurements, whose repeatability nobody has measured yet;
 *       on a rugged deterministic function the fit may explain short-range structure as noise.
 *   <li>{@link Fixed} with sd 0 ({@code none}): measurements are exact (a simulation, a computed
 *       property); the noise is held at the numerical floor, so the model interpolates the data and
 *       does not spend experiments re-measuring a point it already knows.
 *   <li>{@link Fixed} with sd &gt; 0 ({@code VALUE}): the measurement's standard deviation is known
 *       (from repeats, from the instrument's specification), in the objective's units.
 * </ul>
 */
public sealed interface NoiseModel {

  /** The noise variance is fitted (the default). */
  record Fitted() implements NoiseModel {}

  /** The noise standard deviation is known, in output units; 0 means exact measurements. */
  record Fixed(double sd) implements NoiseModel {
    public Fixed {
      if (!(sd >= 0) || !Double.isFinite(sd))
        throw new IllegalArgumentException("noise sd must be a number >= 0, got " + sd);
    }
  }

  NoiseModel FITTED = new Fitted();
  NoiseModel NONE = new Fixed(0);

  /**
   * The fixed noise variance in standardised units (outputs divided by {@code scale}), never below
   * the numerical floor; NaN when fitted.
   */
  default double standardisedVariance(double scale) {
    if (this instanceof Fixed f) {
      double s = f.sd() / scale;
      return Math.max(Priors.MIN_NOISE, s * s);
    }
    return Double.NaN;
  }
}
