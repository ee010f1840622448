package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SliceSamplerTest {

  /** A correlated 2-D Gaussian: mean (1, -2), sds (0.5, 2), correlation 0.6. */
  private static double gaussian(double[] x) {
    double a = (x[0] - 1) / 0.5;
    double b = (x[1] + 2) / 2;
    double r = 0.6;
    return -(a * a - 2 * r * a * b + b * b) / (2 * (1 - r * r));
  }

  @Test
  void drawsHaveTheDensitysMeanAndSpread() {
    List<double[]> draws =
        SliceSampler.sample(
            SliceSamplerTest::gaussian,
            new double[] {1, -2},
            new double[] {-50, -50},
            new double[] {50, 50},
            1.0,
            50,
            20_000,
            1,
            7);
    assertEquals(20_000, draws.size());
    double[] mean = new double[2];
    for (double[] x : draws) for (int j = 0; j < 2; j++) mean[j] += x[j] / draws.size();
    double[] var = new double[2];
    double cov = 0;
    for (double[] x : draws) {
      for (int j = 0; j < 2; j++) var[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / draws.size();
      cov += (x[0] - mean[0]) * (x[1] - mean[1]) / draws.size();
    }
    assertEquals(1, mean[0], 0.03);
    assertEquals(-2, mean[1], 0.12);
    assertEquals(0.5, Math.sqrt(var[0]), 0.03);
    assertEquals(2, Math.sqrt(var[1]), 0.12);
    assertEquals(0.6, cov / Math.sqrt(var[0] * var[1]), 0.05);
  }

  @Test
  void theBoxIsRespectedAndAFixedCoordinateStaysFixed() {
    List<double[]> draws =
        SliceSampler.sample(
            x -> -x[0] * x[0] - x[1] * x[1],
            new double[] {0.5, 3},
            new double[] {0, 3},
            new double[] {1, 3},
            1.0,
            5,
            500,
            1,
            1);
    for (double[] x : draws) {
      assertTrue(x[0] >= 0 && x[0] <= 1, "x0 " + x[0]);
      assertEquals(3, x[1]);
    }
  }

  @Test
  void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
    List<double[]> a =
        SliceSampler.sample(
            SliceSamplerTest::gaussian,
            new double[] {0, 0},
            new double[] {-10, -10},
            new double[] {10, 10},
            1.0,
            4,
            16,
            1,
            42);
    List<double[]> b =
        SliceSampler.sample(
            SliceSamplerTest::gaussian,
            new double[] {0, 0},
            new double[] {-10, -10},
            new double[] {10, 10},
            1.0,
            4,
            16,
            1,
            42);
    List<double[]> c =
        SliceSampler.sample(
            SliceSamplerTest::gaussian,
            new double[] {0, 0},
            new double[] {-10, -10},
            new double[] {10, 10},
            1.0,
            4,
            16,
            1,
            43);
    for (int i = 0; i < 16; i++) assertArrayEquals(a.get(i), b.get(i));
    assertNotEquals(a.get(15)[0], c.get(15)[0]);
  }

  @Test
  void hyperparameterDrawsAreReproducibleAndSpreadAroundTheFit() {
    SplittableRandom r = new SplittableRandom(2);
    double[][] x = new double[15][2];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = r.nextDouble();
      x[i][1] = r.nextDouble();
      y[i] = Math.sin(5 * x[i][0]) + x[i][1];
    }
    int[] own = {0, 1};
    boolean[] continuous = new boolean[2];
    List<GaussianProcess> a =
        GaussianProcess.fitSamples(x, y, 9, own, continuous, NoiseModel.FITTED, 16);
    List<GaussianProcess> b =
        GaussianProcess.fitSamples(x, y, 9, own, continuous, NoiseModel.FITTED, 16);
    assertEquals(17, a.size(), "the fit and 16 draws");
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (int k = 0; k < a.size(); k++) {
      assertEquals(a.get(k).lengthscale(0), b.get(k).lengthscale(0), "draw " + k + " reproducible");
      assertEquals(a.get(k).noiseSd(), b.get(k).noiseSd(), "draw " + k + " reproducible");
      lo = Math.min(lo, a.get(k).lengthscale(0));
      hi = Math.max(hi, a.get(k).lengthscale(0));
    }
    // With 15 points the length-scale is uncertain: the draws differ from each other.
    assertTrue(hi > 1.2 * lo, "length-scales " + lo + " .. " + hi);
    // A held noise stays held in every draw.
    for (GaussianProcess gp :
        GaussianProcess.fitSamples(x, y, 9, own, continuous, new NoiseModel.Fixed(0.1), 8)) {
      assertEquals(0.1, gp.noiseSd(), 1e-12);
    }
  }
}
