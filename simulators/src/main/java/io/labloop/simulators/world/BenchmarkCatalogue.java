package io.labloop.simulators.world;

import io.labloop.simulators.functions.TestFunction;
import io.labloop.simulators.functions.TestFunctions;
import java.util.List;
import java.util.Optional;

/**
 * Where named benchmark functions come from: the test-function package of this module (also used by
 * {@code labloop bench planners}), so a campaign on the virtual lab and the planner benchmark see
 * the very same functions on the same domains.
 */
final class BenchmarkCatalogue {

  private BenchmarkCatalogue() {}

  static Optional<FunctionWorld> find(String name, String output) {
    return TestFunctions.byName(name).map(f -> world(f, output));
  }

  static List<String> names() {
    return TestFunctions.names();
  }

  private static FunctionWorld world(TestFunction f, String output) {
    double[] lower = new double[f.dimension()];
    double[] upper = new double[f.dimension()];
    for (int i = 0; i < lower.length; i++) {
      lower[i] = f.lower(i);
      upper[i] = f.upper(i);
    }
    return new FunctionWorld(f.name(), lower, upper, f::evaluate, output);
  }
}
