package io.labloop.planners.bayes;

/**
 * The standard normal density and distribution, and the logarithms the acquisitions need, accurate
 * far into the tails: Φ uses the Taylor series of erf near the centre and the continued fraction of
 * Mills' ratio R(t) = Φ(-t)/φ(t) beyond |z| = 3.
 */
final class Gaussian {

  static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final int FRACTION_DEPTH = 80;

  private Gaussian() {}

  static double pdf(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  static double logPdf(double z) {
    return -0.5 * z * z - LOG_SQRT_2PI;
  }

  static double cdf(double z) {
    if (z <= -3) return pdf(z) * millsRatio(-z);
    if (z >= 3) return 1 - pdf(z) * millsRatio(z);
    return 0.5 + 0.5 * erfSeries(z / Math.sqrt(2));
  }

  static double logCdf(double z) {
    if (z <= -3) return logPdf(z) + Math.log(millsRatio(-z));
    return Math.log(cdf(z));
  }

  /** Mills' ratio Φ(-t)/φ(t) for t >= 3, by its continued fraction evaluated from the tail. */
  static double millsRatio(double t) {
    return 1 / (t + tail(t));
  }

  /** F(t) = 1/(t + 2/(t + 3/(t + ...))), so that R(t) = 1/(t + F(t)). */
  private static double tail(double t) {
    double f = 0;
    for (int k = FRACTION_DEPTH; k >= 1; k--) f = k / (t + f);
    return f;
  }

  private static double erfSeries(double x) {
    // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); |x| < 2.13 here, so 60 terms are ample.
    double term = x;
    double sum = x;
    double x2 = x * x;
    for (int n = 1; n < 80; n++) {
      term *= -x2 / n;
      double add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  /**
   * log h(z) with h(z) = z Φ(z) + φ(z), the expected improvement of a unit-variance Gaussian. For z
   * <= -3, h(z) = φ(z) F/(t + F) with t = -z (from R(t) = 1/(t + F)), which has no cancellation
   * however small h is.
   */
  static double logH(double z) {
    if (z > -3) return Math.log(z * cdf(z) + pdf(z));
    double t = -z;
    double f = tail(t);
    return logPdf(z) + Math.log(f) - Math.log(t + f);
  }
}
