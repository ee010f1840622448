package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArdMatern52Test {

  private static double[] random(SplittableRandom r, int d, double lo, double hi) {
    double[] x = new double[d];
    for (int i = 0; i < d; i++) x[i] = lo + r.nextDouble() * (hi - lo);
    return x;
  }

  private static ArdMatern52 kernel(double[] l, double s2) {
    return new ArdMatern52(l, s2, new double[l.length + 1], new double[l.length + 1]);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void hyperparameterGradientsMatchFiniteDifferences(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = 4;
    double[] l = random(r, d, 0.05, 2);
    double s2 = 0.3 + r.nextDouble();
    double[] x = random(r, d, 0, 1);
    double[] y = random(r, d, 0, 1);
    ArdMatern52 k = kernel(l, s2);
    double[] g = k.kg(x, y);
    assertEquals(k.k(x, y), g[0], 1e-15);
    double[] p = k.hyperparameters();
    for (int j = 0; j < p.length; j++) {
      double h = 1e-6 * p[j];
      double[] up = p.clone();
      double[] down = p.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (k.of(up).k(x, y) - k.of(down).k(x, y)) / (2 * h);
      assertEquals(fd, g[j + 1], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + j);
    }
  }

  @ParameterizedTest(name = "seed {0} (even seeds share a length-scale between inputs 2 and 3)")
  @ValueSource(longs = {1, 2, 3, 4})
  void marginalLikelihoodGradientMatchesFiniteDifferences(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 15;
    int d = 3;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random(r, d, 0, 1);
      y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][1] + 0.1 * r.nextGaussian();
    }
    boolean shared = seed % 2 == 0;
    MarginalLikelihood likelihood =
        new MarginalLikelihood(x, y, shared ? new int[] {0, 1, 1} : new int[] {0, 1, 2});
    double[] theta =
        shared
            ? new double[] {Math.log(0.3), Math.log(0.7), Math.log(0.8), Math.log(0.01)}
            : new double[] {
              Math.log(0.3), Math.log(0.7), Math.log(1.5), Math.log(0.8), Math.log(0.01)
            };
    double[] g = new double[theta.length];
    likelihood.g(theta, g);
    FiniteDifferences.assertGradient(likelihood::f, theta, g, 1e-5, 1e-5);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void predictionGradientsMatchFiniteDifferences(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 20;
    int d = 3;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random(r, d, 0, 1);
      y[i] = Math.cos(3 * x[i][0]) + x[i][2];
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, seed);
    gp.believe(random(r, d, 0, 1));
    double[] at = random(r, d, 0.1, 0.9);
    GaussianProcess.Prediction p = gp.predict(at);
    for (int j = 0; j < d; j++) {
      FiniteDifferences.assertPartial(u -> gp.predict(u).mean(), at, j, p.dMean()[j], 1e-6, 1e-5);
      FiniteDifferences.assertPartial(
          u -> gp.predict(u).variance(), at, j, p.dVariance()[j], 1e-6, 1e-5);
    }
  }
}
