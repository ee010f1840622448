package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fitted noise follows the data: large on noisy measurements, at the floor on exact ones. */
class NoiseFitTest {

  private static double[][] inputs(SplittableRandom r, int n, int d) {
    double[][] x = new double[n][d];
    for (double[] row : x) for (int j = 0; j < d; j++) row[j] = r.nextDouble();
    return x;
  }

  private static double smooth(double[] x) {
    return Math.sin(3 * x[0]) + (x[1] - 0.5) * (x[1] - 0.5);
  }

  @Test
  void noisyMeasurementsGiveANoiseNearTheTruth() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] x = inputs(r, 80, 2);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) y[i] = smooth(x[i]) + 0.2 * r.nextGaussian();
    GaussianProcess gp = GaussianProcess.fit(x, y, 1);
    assertEquals(0.2, gp.noiseSd(), 0.07, "fitted noise sd");
  }

  @Test
  void exactMeasurementsGiveASmallNoiseAndInterpolate() {
    SplittableRandom r = new SplittableRandom(4);
    double[][] x = inputs(r, 40, 2);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) y[i] = smooth(x[i]);
    GaussianProcess gp = GaussianProcess.fit(x, y, 1);
    assertTrue(gp.noiseSd() < 0.02, "noise sd " + gp.noiseSd());
    double[] means = gp.means(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], gp.toOutput(means[i]), 0.02, "row " + i);
      assertEquals(gp.predict(x[i]).mean(), means[i], 1e-9, "means() agrees with predict() at row " + i);
    }
  }
}
