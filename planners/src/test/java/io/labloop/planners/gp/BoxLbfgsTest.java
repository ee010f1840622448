package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoxLbfgsTest {

  /** Rosenbrock in 2-D with its gradient. */
  private static double rosenbrock(double[] x, double[] g) {
    double a = x[1] - x[0] * x[0];
    double b = 1 - x[0];
    g[0] = -400 * x[0] * a - 2 * b;
    g[1] = 200 * a;
    return 100 * a * a + b * b;
  }

  @Test
  void findsTheInteriorMinimumOfABananaValley() {
    BoxLbfgs.Result r =
        BoxLbfgs.minimize(
            BoxLbfgsTest::rosenbrock,
            new double[] {-1.2, 1},
            new double[] {-2, -2},
            new double[] {2, 2},
            1e-8,
            500);
    assertArrayEquals(new double[] {1, 1}, r.x(), 1e-4);
    assertTrue(r.value() < 1e-8, "value " + r.value());
  }

  @Test
  void stopsOnTheBoundWhenTheMinimumIsOutsideTheBox() {
    // Minimum of (x-2)² + (y+1)² + xy/2 lies outside [0,1]²; on the box it is at x = 1, y = 0.
    BoxLbfgs.Function f =
        (x, g) -> {
          g[0] = 2 * (x[0] - 2) + x[1] / 2;
          g[1] = 2 * (x[1] + 1) + x[0] / 2;
          return (x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1) + x[0] * x[1] / 2;
        };
    BoxLbfgs.Result r =
        BoxLbfgs.minimize(
            f, new double[] {0.5, 0.5}, new double[] {0, 0}, new double[] {1, 1}, 1e-9, 100);
    assertArrayEquals(new double[] {1, 0}, r.x(), 1e-9);
  }

  @Test
  void aFlatStartIsNotAnError() {
    // Zero gradient everywhere at the start (what made Smile's L-BFGS-B factor a 0 × 0 matrix):
    // the search returns the start at once.
    BoxLbfgs.Result r =
        BoxLbfgs.minimize(
            (x, g) -> {
              g[0] = 0;
              return 1;
            },
            new double[] {0.3},
            new double[] {0},
            new double[] {1},
            1e-9,
            100);
    assertEquals(0.3, r.x()[0]);
    assertEquals(0, r.iterations());
  }

  @Test
  void backsAwayFromNonFiniteValues() {
    // 4x - log(x) has its minimum at x = 1/4; for x ≤ 0 (inside the box) it is NaN.
    BoxLbfgs.Function f =
        (x, g) -> {
          g[0] = x[0] > 0 ? 4 - 1 / x[0] : Double.NaN;
          return x[0] > 0 ? 4 * x[0] - Math.log(x[0]) : Double.NaN;
        };
    BoxLbfgs.Result r =
        BoxLbfgs.minimize(f, new double[] {0.9}, new double[] {-1}, new double[] {1}, 1e-9, 100);
    assertEquals(0.25, r.x()[0], 1e-6);
  }
}
