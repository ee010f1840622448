package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;

/** The check every analytic gradient in this package must pass: central differences. */
public final class FiniteDifferences {

  private FiniteDifferences() {}

  /**
   * Asserts that {@code gradient} is the gradient of {@code f} at {@code theta}: each component
   * within {@code tolerance} (relative, absolute below 1) of the central difference with step h.
   */
  public static void assertGradient(
      ToDoubleFunction<double[]> f, double[] theta, double[] gradient, double h, double tolerance) {
    for (int j = 0; j < theta.length; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
      assertEquals(fd, gradient[j], tolerance * Math.max(1, Math.abs(fd)), "theta " + j);
    }
  }

  /**
   * Asserts that {@code expected} is the partial derivative of {@code f} in coordinate j at {@code
   * x}, within {@code tolerance} (absolute) of the central difference with step h.
   */
  public static void assertPartial(
      ToDoubleFunction<double[]> f,
      double[] x,
      int j,
      double expected,
      double h,
      double tolerance) {
    double[] up = x.clone();
    double[] down = x.clone();
    up[j] += h;
    down[j] -= h;
    assertEquals((f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h), expected, tolerance);
  }
}
