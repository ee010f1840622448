package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AcquisitionFunctionTest {

  /** Plain expected improvement of a loss below {@code best}, by numerical integration. */
  private static double integratedEi(double mean, double sd, double best) {
    double sum = 0;
    int steps = 200_000;
    double lo = mean - 12 * sd;
    double h = (best - lo) / steps;
    for (int i = 0; i < steps; i++) {
      double y = lo + (i + 0.5) * h;
      double z = (y - mean) / sd;
      sum += (best - y) * Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI)) * h;
    }
    return sum;
  }

  @ParameterizedTest(name = "mean {0}, sd {1}, best {2}")
  @CsvSource({
    "0, 1, 0",
    "0.5, 0.2, 0",
    "-1, 0.5, 0",
    "2, 1, 0",
    "1, 0.3, 0.2",
    "3.5, 1, 0",
    "0, 1e-3, 1e-3"
  })
  void logEiMatchesEiWhereEiIsRepresentable(double mean, double sd, double best) {
    AcquisitionFunction ei = new AcquisitionFunction(Bayesian.Acquisition.EI, 2);
    double expected = integratedEi(mean, sd, best);
    assertEquals(Math.log(expected), ei.value(mean, sd, best), 1e-4);
  }

  @Test
  void logEiStaysFiniteAndOrderedWhereEiUnderflows() {
    AcquisitionFunction ei = new AcquisitionFunction(Bayesian.Acquisition.EI, 2);
    double z40 = ei.value(40, 1, 0);
    double z30 = ei.value(30, 1, 0);
    // EI itself is below the smallest double here (≈ e^-800), its log is an ordinary number.
    assertTrue(Double.isFinite(z40) && z40 < -700, "log-EI at z=-40 was " + z40);
    assertTrue(z30 > z40, "a closer candidate must score higher");
    assertEquals(0.0, Math.exp(z40));
  }

  @Test
  void logEiIsContinuousWhereTheFormulaSwitches() {
    AcquisitionFunction ei = new AcquisitionFunction(Bayesian.Acquisition.EI, 2);
    assertEquals(ei.value(3 - 1e-9, 1, 0), ei.value(3 + 1e-9, 1, 0), 1e-7);
  }

  @ParameterizedTest
  @EnumSource(
      value = Bayesian.Acquisition.class,
      names = {"EI", "UCB", "PI"})
  void partialsMatchFiniteDifferences(Bayesian.Acquisition kind) {
    AcquisitionFunction a = new AcquisitionFunction(kind, 2);
    for (double[] c : new double[][] {{0.3, 0.5, 0}, {2, 0.4, 0}, {-1, 1, 0}, {4, 1, 0}}) {
      double[] p = a.withPartials(c[0], c[1], c[2]);
      double h = 1e-6;
      double dMean = (a.value(c[0] + h, c[1], c[2]) - a.value(c[0] - h, c[1], c[2])) / (2 * h);
      double dSd = (a.value(c[0], c[1] + h, c[2]) - a.value(c[0], c[1] - h, c[2])) / (2 * h);
      assertEquals(a.value(c[0], c[1], c[2]), p[0], 1e-12);
      assertEquals(dMean, p[1], 1e-5 * Math.max(1, Math.abs(dMean)));
      assertEquals(dSd, p[2], 1e-5 * Math.max(1, Math.abs(dSd)));
    }
  }

  /**
   * Far below the incumbent, where EI itself underflows, the polishing step still needs log-EI and
   * its slope to be accurate: log h(z) and the partials -Φ(z)/h(z), φ(z)/h(z) against 50-digit
   * references (mpmath), with mean = -z, sd = 1, best = 0.
   */
  @ParameterizedTest(name = "z = {0}")
  @CsvSource({
    "-5, -16.74430116266099, -5.3618162412880885, 27.809081206440443",
    "-10, -55.553122036122356, -10.194383033412553, 102.94383033412553",
    "-20, -206.9178385094251, -20.099262811101282, 402.98525622202564",
    "-40, -808.29856835661996, -40.049906657648518, 1602.9962663059407"
  })
  void logEiAndItsSlopeStayAccurateWhereEiUnderflows(
      double z, double logEi, double dMean, double dSd) {
    AcquisitionFunction ei = new AcquisitionFunction(Bayesian.Acquisition.EI, 2);
    double[] p = ei.withPartials(-z, 1, 0);
    assertEquals(logEi, p[0], 1e-12 * Math.abs(logEi));
    assertEquals(dMean, p[1], 1e-10 * Math.abs(dMean));
    assertEquals(dSd, p[2], 1e-10 * Math.abs(dSd));
  }

  @ParameterizedTest(name = "Φ({0}) = {1}")
  @CsvSource({
    "0, 0.5",
    "-1, 0.15865525393145707",
    "-3, 0.0013498980316301",
    "-5, 2.866515718791939e-07",
    "2.5, 0.9937903346742238",
    "-10, 7.619853024160527e-24"
  })
  void normalDistributionIsAccurateInTheTails(double z, double expected) {
    assertEquals(expected, Gaussian.cdf(z), 1e-12 * Math.max(expected, 1e-12) + 1e-15);
  }
}
