package io.labloop.planners.gp;

import java.util.List;

/**
 * The hyperparameter priors of the Gaussian process and the starts of its fit.
 *
 * <p>They are the defaults of BoTorch 0.11's {@code SingleTaskGP} on unit-cube inputs and
 * standardised outputs, a widely used setting that was not chosen for any one problem: length-scale
 * ~ Gamma(3, 6) (mode 1/3 of the cube: functions are expected to vary within the box, and a few
 * points cannot make a length-scale absurdly long or short), signal variance ~ Gamma(2, 0.15)
 * (weak, mode 6.7), noise variance ~ Gamma(1.1, 0.05) (very weak, mode 2) with a floor ({@link
 * #MIN_NOISE}). Gamma(a, b) is shape a and rate b; each density is on the hyperparameter itself, so
 * in log coordinates θ = log v the negative log prior is {@code -(a-1) θ + b e^θ} (plus a constant)
 * with derivative {@code -(a-1) + b e^θ}: the maximum a posteriori point is that of the
 * hyperparameter, not of its logarithm.
 */
final class Priors {

  /**
   * Noise-variance floor (standardised units). BoTorch's {@code MIN_INFERRED_NOISE_LEVEL} is 1e-4,
   * a safeguard for its single-precision origins; in double precision with the jitter fall-backs of
   * {@link Cholesky} 1e-6 is as safe, and it lets the model resolve differences 10× finer (standard
   * deviation 0.001 instead of 0.01 of the outputs' spread) when measurements are that repeatable.
   * Noisier data fit a larger noise regardless.
   */
  static final double MIN_NOISE = 1e-6;

  static final Gamma LENGTHSCALE = new Gamma(3, 6);
  static final Gamma SIGNAL_VARIANCE = new Gamma(2, 0.15);
  static final Gamma NOISE = new Gamma(1.1, 0.05);

  /**
   * Where the marginal-likelihood search starts; the best posterior wins. The first is where
   * GPyTorch starts (length-scale and signal variance softplus(0) = ln 2, noise at its prior mode,
   * i.e. "mostly noise"); the second the prior modes; the third a nearly noiseless,
   * short-length-scale model, which wins when the data are smooth and exact.
   */
  static final List<Start> STARTS =
      List.of(
          new Start(Math.log(2), Math.log(2), NOISE.mode()),
          new Start(LENGTHSCALE.mode(), SIGNAL_VARIANCE.mode(), NOISE.mode()),
          new Start(0.2, 1, 1e-3));

  private Priors() {}

  /**
   * Negative log prior density (up to a constant) of θ = (log l_1..log l_g, log s²..., log noise)
   * with {@code g} length-scales, one or more signal variances (the mixed kernel has three; each
   * gets the signal-variance prior) and the noise last; adds its gradient to {@code gradient} when
   * that is not null. A categorical parameter's length-scale gets the same prior as a continuous
   * one: in the categorical kernel a change of value is divided by its length-scale as a continuous
   * distance is, and a change of value is as far as the two ends of a range.
   */
  static double negativeLogPrior(double[] theta, int g, double[] gradient) {
    double value = 0;
    int last = theta.length - 1;
    for (int j = 0; j <= last; j++) {
      Gamma prior = j < g ? LENGTHSCALE : j < last ? SIGNAL_VARIANCE : NOISE;
      value += prior.negativeLogDensity(theta[j]);
      if (gradient != null) gradient[j] += prior.derivative(theta[j]);
    }
    return value;
  }

  /** Gamma(shape, rate) density on a positive hyperparameter v, written in θ = log v. */
  record Gamma(double shape, double rate) {
    double mode() {
      return (shape - 1) / rate;
    }

    double negativeLogDensity(double logV) {
      return -(shape - 1) * logV + rate * Math.exp(logV);
    }

    double derivative(double logV) {
      return -(shape - 1) + rate * Math.exp(logV);
    }
  }

  /** One start of the hyperparameter search, in natural units. */
  record Start(double lengthscale, double signalVariance, double noise) {}
}
