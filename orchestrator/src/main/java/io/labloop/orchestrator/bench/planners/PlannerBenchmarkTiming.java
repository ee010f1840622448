package io.labloop.orchestrator.bench.planners;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.simulators.functions.TestFunction;
import io.labloop.simulators.functions.TestFunctions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Time per suggestion of the {@code bayesian} planner as the number of observations grows: N random
 * observations of a test function (Hartmann-6 for d = 6, Ackley for d = 10), then {@code
 * suggest(batch)} timed end to end (model fit included), repeated and the median taken.
 */
public final class PlannerBenchmarkTiming {

  /**
   * One measured case: wall-clock seconds, and the CPU seconds of the planning thread (the planner
   * is single-threaded pure Java, so on a shared, overloaded machine the CPU time is what the same
   * call takes on an idle one).
   */
  public record Case(
      int dimension, int observations, int batch, double[] seconds, double[] cpuSeconds) {}

  private PlannerBenchmarkTiming() {}

  /**
   * The cases of the issue: d = 6 at N = 100, 500, 2000 (batch 1) and d = 10 at N = 700 (batch 16).
   */
  public static List<Case> standard(int repeats) {
    // A daemon plans for weeks: measure with the JIT warmed up and native libraries loaded.
    measure(TestFunctions.hartmann6(), 100, 1, 2);
    List<Case> out = new ArrayList<>();
    out.add(measure(TestFunctions.hartmann6(), 100, 1, repeats));
    out.add(measure(TestFunctions.hartmann6(), 500, 1, repeats));
    out.add(measure(TestFunctions.hartmann6(), 2000, 1, repeats));
    out.add(measure(TestFunctions.ackley(10), 700, 16, repeats));
    return out;
  }

  public static Case measure(TestFunction f, int n, int batch, int repeats) {
    List<Parameter> parameters = new ArrayList<>();
    for (int i = 0; i < f.dimension(); i++)
      parameters.add(new Parameter.Continuous("x" + (i + 1), f.lower(i), f.upper(i)));
    Space space = new Space(parameters, List.of());
    double[] seconds = new double[repeats];
    double[] cpu = new double[repeats];
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int r = 0; r < repeats; r++) {
      SplittableRandom random = new SplittableRandom(1000 + r);
      List<Observation> observations = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        double[] x = new double[f.dimension()];
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < x.length; i++) {
          x[i] = f.lower(i) + random.nextDouble() * (f.upper(i) - f.lower(i));
          values.put("x" + (i + 1), x[i]);
        }
        observations.add(Observation.ok(new Point(values), Map.of("y", f.evaluate(x))));
      }
      Planner planner = Planners.create(new PlannerSpec("bayesian", r, Map.of()));
      PlanningState state =
          new PlanningState(space, List.of(new Objective.Minimize("y")), observations, List.of());
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      planner.suggest(state, batch);
      seconds[r] = (System.nanoTime() - start) / 1e9;
      cpu[r] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    }
    return new Case(f.dimension(), n, batch, seconds, cpu);
  }
}
