package io.labloop.simulators.functions;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** The benchmark functions, by name. Definitions and minima as in the optimisation literature. */
public final class TestFunctions {

  private TestFunctions() {}

  private record Box(
      String name, double[] lo, double[] hi, double minimum, ToDoubleFunction<double[]> f)
      implements TestFunction {
    @Override
    public int dimension() {
      return lo.length;
    }

    @Override
    public double lower(int i) {
      return lo[i];
    }

    @Override
    public double upper(int i) {
      return hi[i];
    }

    @Override
    public double evaluate(double[] x) {
      if (x.length != lo.length) {
        throw new IllegalArgumentException(
            name + " takes " + lo.length + " inputs, got " + x.length);
      }
      return f.applyAsDouble(x);
    }
  }

  /** Every name {@link #byName} knows. */
  public static List<String> names() {
    return List.of(
        "branin",
        "hartmann3",
        "hartmann6",
        "ackley",
        "ackley10",
        "levy",
        "rosenbrock",
        "rosenbrock10");
  }

  /** The function called {@code name} (case-insensitive), or empty. */
  public static Optional<TestFunction> byName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "branin" -> Optional.of(branin());
      case "hartmann3" -> Optional.of(hartmann3());
      case "hartmann6" -> Optional.of(hartmann6());
      case "ackley" -> Optional.of(ackley(5));
      case "ackley10" -> Optional.of(ackley(10));
      case "levy" -> Optional.of(levy(4));
      case "rosenbrock" -> Optional.of(rosenbrock(4));
      case "rosenbrock10" -> Optional.of(rosenbrock(10));
      default -> Optional.empty();
    };
  }

  /** Branin-Hoo on [-5, 10] × [0, 15]; three global minima of 0.397887. */
  public static TestFunction branin() {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return new Box(
        "branin",
        new double[] {-5, 0},
        new double[] {10, 15},
        0.397887357729739,
        x -> {
          double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
          return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
        });
  }

  /** Hartmann 3-D on [0, 1]^3; minimum -3.86278. */
  public static TestFunction hartmann3() {
    double[][] a = {{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}};
    double[][] p = {{3689, 1170, 2673}, {4699, 4387, 7470}, {1091, 8732, 5547}, {381, 5743, 8828}};
    return hartmann("hartmann3", a, p, -3.86278214782076);
  }

  /** Hartmann 6-D on [0, 1]^6; minimum -3.32237. */
  public static TestFunction hartmann6() {
    double[][] a = {
      {10, 3, 17, 3.5, 1.7, 8},
      {0.05, 10, 17, 0.1, 8, 14},
      {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}
    };
    double[][] p = {
      {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
      {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}
    };
    return hartmann("hartmann6", a, p, -3.32236801141551);
  }

  private static TestFunction hartmann(String name, double[][] a, double[][] p, double minimum) {
    double[] alpha = {1.0, 1.2, 3.0, 3.2};
    int d = a[0].length;
    return new Box(
        name,
        fill(d, 0),
        fill(d, 1),
        minimum,
        x -> {
          double sum = 0;
          for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < d; j++) {
              double diff = x[j] - p[i][j] * 1e-4;
              inner += a[i][j] * diff * diff;
            }
            sum += alpha[i] * Math.exp(-inner);
          }
          return -sum;
        });
  }

  /**
   * Ackley in {@code d} dimensions on [-32.768, 32.768]^d; minimum 0 at the origin. Named {@code
   * ackley} in 5-D (the benchmark's default) and {@code ackley<d>} otherwise.
   */
  public static TestFunction ackley(int d) {
    return new Box(
        d == 5 ? "ackley" : "ackley" + d,
        fill(d, -32.768),
        fill(d, 32.768),
        0,
        x -> {
          double squares = 0;
          double cosines = 0;
          for (double v : x) {
            squares += v * v;
            cosines += Math.cos(2 * Math.PI * v);
          }
          return -20 * Math.exp(-0.2 * Math.sqrt(squares / d))
              - Math.exp(cosines / d)
              + 20
              + Math.E;
        });
  }

  /** Levy in {@code d} dimensions on [-10, 10]^d; minimum 0 at (1, ..., 1). */
  public static TestFunction levy(int d) {
    return new Box(
        "levy",
        fill(d, -10),
        fill(d, 10),
        0,
        x -> {
          double[] w = new double[d];
          for (int i = 0; i < d; i++) w[i] = 1 + (x[i] - 1) / 4;
          double s = Math.pow(Math.sin(Math.PI * w[0]), 2);
          for (int i = 0; i < d - 1; i++) {
            s += (w[i] - 1) * (w[i] - 1) * (1 + 10 * Math.pow(Math.sin(Math.PI * w[i] + 1), 2));
          }
          double last = w[d - 1] - 1;
          return s + last * last * (1 + Math.pow(Math.sin(2 * Math.PI * w[d - 1]), 2));
        });
  }

  /**
   * Rosenbrock in {@code d} dimensions on [-5, 10]^d; minimum 0 at (1, ..., 1). Named {@code
   * rosenbrock} in 4-D and {@code rosenbrock<d>} otherwise.
   */
  public static TestFunction rosenbrock(int d) {
    return new Box(
        d == 4 ? "rosenbrock" : "rosenbrock" + d,
        fill(d, -5),
        fill(d, 10),
        0,
        x -> {
          double s = 0;
          for (int i = 0; i < d - 1; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
          }
          return s;
        });
  }

  private static double[] fill(int d, double v) {
    double[] out = new double[d];
    java.util.Arrays.fill(out, v);
    return out;
  }
}
