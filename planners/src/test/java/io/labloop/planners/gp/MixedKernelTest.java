package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The categorical-and-continuous kernel: its definition, and its analytic derivatives (kernel,
 * marginal likelihood with priors, prediction) against central finite differences.
 *
 * <p>Layout used throughout: a continuous column 0, a categorical parameter with three values in
 * columns 1–3, a continuous column 4 and a categorical parameter with two values in columns 5–6;
 * groups 0, 1, 2, 3.
 */
class MixedKernelTest {

  private static final int[] GROUP = {0, 1, 1, 1, 2, 3, 3};
  private static final boolean[] CATEGORICAL = {false, true, false, true};

  private static double[] point(SplittableRandom r) {
    double[] x = new double[7];
    x[0] = r.nextDouble();
    x[1 + r.nextInt(3)] = 0.7;
    x[4] = r.nextDouble();
    x[5 + r.nextInt(2)] = 0.7;
    return x;
  }

  private static double[][] points(SplittableRandom r, int n) {
    double[][] x = new double[n][];
    for (int i = 0; i < n; i++) x[i] = point(r);
    return x;
  }

  private static double response(double[] x) {
    double ligand = x[1] > 0 ? 0 : x[2] > 0 ? 1 : -0.5;
    return Math.sin(4 * x[0]) + ligand + (x[5] > 0 ? 0.3 * x[4] : -0.3 * x[4]);
  }

  private static MixedKernel kernel(
      double l0, double l4, double lA, double lB, double sm, double sc, double sp) {
    return new MixedKernel(
        7,
        new int[] {0, 4},
        new double[] {l0, l4},
        new int[][] {{1, 2, 3}, {5, 6}},
        new double[] {lA, lB},
        sm,
        sc,
        sp);
  }

  @Test
  void definitionSumAndProductOfMaternAndCategorical() {
    MixedKernel k = kernel(0.4, 0.8, 0.5, 2.0, 0.6, 0.3, 0.9);
    double[] x = {0.2, 0.7, 0, 0, 0.5, 0.7, 0};
    double[] y = {0.6, 0, 0.7, 0, 0.1, 0.7, 0};
    double r = Math.hypot(0.4 / 0.4, 0.4 / 0.8);
    double m = (1 + Math.sqrt(5) * r + 5.0 / 3.0 * r * r) * Math.exp(-Math.sqrt(5) * r);
    double c = Math.exp(-(1 / 0.5) / 2);
    assertEquals(0.6 * m + 0.3 * c + 0.9 * m * c, k.k(x, y), 1e-12);
    assertEquals(1.8, k.k(x, x), 1e-12);
    assertEquals(k.variance(), k.k(y, y), 1e-12);
    // Only "same or different" counts: every other value of a parameter is equally far.
    double[] z = y.clone();
    z[2] = 0;
    z[3] = 0.7;
    assertEquals(k.k(x, y), k.k(x, z), 1e-12);
    assertEquals(0.5, k.lengthscale(2), 0);
    assertEquals(0.8, k.lengthscale(4), 0);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void hyperparameterGradientMatchesFiniteDifferences(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] theta = new double[7];
    for (int j = 0; j < theta.length; j++) theta[j] = Math.log(0.2 + r.nextDouble());
    double[] x = point(r);
    double[] y = point(r);
    y[5] = x[5];
    y[6] = x[6];
    double[] g = new double[theta.length + 1];
    of(theta).addHyperparameterGradient(x, y, 1, GROUP, g);
    for (int j = 0; j < theta.length; j++) {
      double h = 1e-6;
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (of(up).k(x, y) - of(down).k(x, y)) / (2 * h);
      assertEquals(fd, g[j], 1e-7, "theta " + j);
    }
  }

  private static MixedKernel of(double[] t) {
    return kernel(
        Math.exp(t[0]),
        Math.exp(t[2]),
        Math.exp(t[1]),
        Math.exp(t[3]),
        Math.exp(t[4]),
        Math.exp(t[5]),
        Math.exp(t[6]));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5, 6})
  void marginalLikelihoodGradientMatchesFiniteDifferences(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = points(r, 18);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) y[i] = response(x[i]) + 0.05 * r.nextGaussian();
    MarginalLikelihood likelihood = new MarginalLikelihood(x, y, GROUP, CATEGORICAL);
    assertEquals(8, likelihood.size());
    double[] theta = new double[8];
    for (int j = 0; j < 7; j++) theta[j] = Math.log(0.3 + r.nextDouble());
    theta[7] = Math.log(0.01);
    double[] g = new double[theta.length];
    likelihood.g(theta, g);
    FiniteDifferences.assertGradient(likelihood::f, theta, g, 1e-5, 1e-5);
  }

  @Test
  void categoricalOnlyLikelihoodGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(9);
    double[][] x = new double[12][];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = new double[5];
      x[i][r.nextInt(3)] = 0.7;
      x[i][3 + r.nextInt(2)] = 0.7;
      y[i] = (x[i][0] > 0 ? 1 : 0) + (x[i][3] > 0 ? 0.5 : 0) + 0.1 * r.nextGaussian();
    }
    MarginalLikelihood likelihood =
        new MarginalLikelihood(x, y, new int[] {0, 0, 0, 1, 1}, new boolean[] {true, true});
    double[] theta = {Math.log(0.5), Math.log(1.5), Math.log(0.8), Math.log(0.05)};
    assertEquals(theta.length, likelihood.size());
    double[] g = new double[theta.length];
    likelihood.g(theta, g);
    FiniteDifferences.assertGradient(likelihood::f, theta, g, 1e-5, 1e-5);
  }

  @Test
  void predictionGradientsMatchFiniteDifferencesInTheContinuousColumns() {
    SplittableRandom r = new SplittableRandom(11);
    double[][] x = points(r, 25);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) y[i] = response(x[i]);
    GaussianProcess gp = GaussianProcess.fit(x, y, 11, GROUP, CATEGORICAL);
    assertTrue(gp.kernel() instanceof MixedKernel);
    gp.believe(point(r));
    double[] at = point(r);
    GaussianProcess.Prediction p = gp.predict(at);
    for (int j : new int[] {0, 4}) {
      FiniteDifferences.assertPartial(u -> gp.predict(u).mean(), at, j, p.dMean()[j], 1e-6, 1e-5);
      FiniteDifferences.assertPartial(
          u -> gp.predict(u).variance(), at, j, p.dVariance()[j], 1e-6, 1e-5);
    }
    for (int j : new int[] {1, 2, 3, 5, 6}) {
      assertEquals(0, p.dMean()[j], 0, "a categorical column has no gradient");
      assertEquals(0, p.dVariance()[j], 0);
    }
  }

  @Test
  void fittedModelLearnsACategoricalEffectThatHoldsAtEveryContinuousSetting() {
    // The second value of the first categorical parameter is better by 1 everywhere. Observed
    // only at small x0 for that value, the model should still predict it better at large x0.
    SplittableRandom r = new SplittableRandom(13);
    double[][] x = points(r, 30);
    java.util.List<double[]> kept = new java.util.ArrayList<>();
    for (double[] p : x) if (!(p[2] > 0 && p[0] > 0.5)) kept.add(p);
    double[][] xs = kept.toArray(double[][]::new);
    double[] y = new double[xs.length];
    for (int i = 0; i < y.length; i++) y[i] = -response(xs[i]);
    GaussianProcess gp = GaussianProcess.fit(xs, y, 13, GROUP, CATEGORICAL);
    double[] good = {0.8, 0, 0.7, 0, 0.5, 0.7, 0};
    double[] other = {0.8, 0.7, 0, 0, 0.5, 0.7, 0};
    assertTrue(
        gp.toOutput(gp.predict(good).mean()) < gp.toOutput(gp.predict(other).mean()) - 0.5,
        "the better value is predicted better where it was not observed");
  }
}
