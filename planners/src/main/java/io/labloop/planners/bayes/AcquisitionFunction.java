package io.labloop.planners.bayes;

/**
 * Scores a candidate from its predicted loss (mean μ, standard deviation σ, standardised units)
 * against the best loss seen so far; higher is better. Every score is a logarithm or a difference,
 * so that multiplying by a feasibility probability is adding its log.
 *
 * <ul>
 *   <li>log-EI: {@code log(σ h(z))}, {@code z = (best - μ)/σ}, {@code h(z) = z Φ(z) + φ(z)}. In log
 *       space EI stays comparable where it underflows to 0 in double precision (far from the
 *       incumbent), so the optimiser still has a slope to follow.
 *   <li>UCB: {@code -(μ - √β σ)}, optimism under uncertainty.
 *   <li>log-PI: {@code log Φ(z)}.
 * </ul>
 */
final class AcquisitionFunction {

  private final Bayesian.Acquisition kind;
  private final double sqrtBeta;

  AcquisitionFunction(Bayesian.Acquisition kind, double beta) {
    if (kind == Bayesian.Acquisition.HEDGE)
      throw new IllegalArgumentException("hedge is a portfolio of acquisitions, not one");
    this.kind = kind;
    this.sqrtBeta = Math.sqrt(beta);
  }

  String label() {
    return switch (kind) {
      case EI -> "log-EI";
      case UCB -> "UCB";
      case PI -> "log-PI";
      case HEDGE -> throw new IllegalStateException("rejected by the constructor");
    };
  }

  /**
   * Whether the score is the log of a probability or an expectation (EI, PI), not a bound (UCB).
   */
  boolean logarithmic() {
    return kind != Bayesian.Acquisition.UCB;
  }

  double value(double mean, double sd, double best) {
    return switch (kind) {
      case EI -> Math.log(sd) + Gaussian.logH((best - mean) / sd);
      case UCB -> -(mean - sqrtBeta * sd);
      case PI -> Gaussian.logCdf((best - mean) / sd);
      case HEDGE -> throw new IllegalStateException("rejected by the constructor");
    };
  }

  /**
   * The value and its partial derivatives with respect to μ and σ, as {@code {value, ∂/∂μ, ∂/∂σ}}.
   */
  double[] withPartials(double mean, double sd, double best) {
    double z = (best - mean) / sd;
    switch (kind) {
      case EI -> {
        // d log EI = (-Φ(z) dμ + φ(z) dσ) / EI with EI = σ h(z); ratios taken in log space.
        double logH = Gaussian.logH(z);
        double phiOverH = Math.exp(Gaussian.logPdf(z) - logH);
        double cdfOverH = Math.exp(Gaussian.logCdf(z) - logH);
        return new double[] {Math.log(sd) + logH, -cdfOverH / sd, phiOverH / sd};
      }
      case UCB -> {
        return new double[] {-(mean - sqrtBeta * sd), -1, sqrtBeta};
      }
      default -> {
        double logCdf = Gaussian.logCdf(z);
        double ratio = Math.exp(Gaussian.logPdf(z) - logCdf);
        return new double[] {logCdf, -ratio / sd, -ratio * z / sd};
      }
    }
  }
}
