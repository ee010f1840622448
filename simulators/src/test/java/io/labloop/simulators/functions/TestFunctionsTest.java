package io.labloop.simulators.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestFunctionsTest {

  static Stream<Arguments> minimisers() {
    return Stream.of(
        Arguments.of("branin", new double[] {Math.PI, 2.275}),
        Arguments.of("branin", new double[] {-Math.PI, 12.275}),
        Arguments.of("hartmann3", new double[] {0.114614, 0.555649, 0.852547}),
        Arguments.of(
            "hartmann6", new double[] {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}),
        Arguments.of("ackley", new double[] {0, 0, 0, 0, 0}),
        Arguments.of("levy", new double[] {1, 1, 1, 1}),
        Arguments.of("ackley10", new double[10]),
        Arguments.of("rosenbrock", new double[] {1, 1, 1, 1}),
        Arguments.of("rosenbrock10", new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  }

  @ParameterizedTest(name = "{0} reaches its known minimum at its minimiser")
  @MethodSource("minimisers")
  void knownMinimumIsReachedAtTheMinimiser(String name, double[] x) {
    TestFunction f = TestFunctions.byName(name).orElseThrow();
    assertEquals(f.minimum(), f.evaluate(x), 1e-5);
  }

  @ParameterizedTest(name = "{0}: no sampled point beats the known minimum")
  @MethodSource("minimisers")
  void noPointOfTheBoxIsBelowTheMinimum(String name, double[] ignored) {
    TestFunction f = TestFunctions.byName(name).orElseThrow();
    SplittableRandom r = new SplittableRandom(1);
    for (int k = 0; k < 20_000; k++) {
      double[] x = new double[f.dimension()];
      for (int i = 0; i < x.length; i++)
        x[i] = f.lower(i) + r.nextDouble() * (f.upper(i) - f.lower(i));
      assertTrue(f.evaluate(x) >= f.minimum() - 1e-9);
    }
  }

  @Test
  void unknownNamesAreEmpty() {
    assertTrue(TestFunctions.byName("sphere").isEmpty());
    assertEquals(8, TestFunctions.names().size());
    TestFunctions.names()
        .forEach(n -> assertEquals(n, TestFunctions.byName(n).orElseThrow().name(), n));
  }
}
