package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PriorsTest {

  @Test
  void priorGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(11);
    int g = 3;
    for (int trial = 0; trial < 20; trial++) {
      double[] theta = new double[g + 2];
      for (int j = 0; j < theta.length; j++) theta[j] = -5 + 8 * r.nextDouble();
      double[] gradient = new double[theta.length];
      Priors.negativeLogPrior(theta, g, gradient);
      FiniteDifferences.assertGradient(
          t -> Priors.negativeLogPrior(t, g, null), theta, gradient, 1e-6, 1e-6);
    }
  }

  @Test
  void priorIsLowestAtTheModesOfBoTorchDefaults() {
    assertEquals(1.0 / 3, Priors.LENGTHSCALE.mode(), 1e-12);
    assertEquals(1 / 0.15, Priors.SIGNAL_VARIANCE.mode(), 1e-12);
    assertEquals(2.0, Priors.NOISE.mode(), 1e-12);
    for (Priors.Gamma prior :
        new Priors.Gamma[] {Priors.LENGTHSCALE, Priors.SIGNAL_VARIANCE, Priors.NOISE}) {
      double atMode = prior.negativeLogDensity(Math.log(prior.mode()));
      assertEquals(0, prior.derivative(Math.log(prior.mode())), 1e-12);
      assertTrue(prior.negativeLogDensity(Math.log(prior.mode()) + 0.3) > atMode);
      assertTrue(prior.negativeLogDensity(Math.log(prior.mode()) - 0.3) > atMode);
    }
  }
}
