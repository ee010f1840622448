package io.labloop.orchestrator.bench.planners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerBenchmarkProblemTest {

  @Test
  void datasetBecomesAPoolWithItsBestAndTopOnePercent(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("solvent,temperature,yield\n");
    for (int i = 0; i < 200; i++)
      csv.append(i % 2 == 0 ? "water" : "dmso")
          .append(',')
          .append(i)
          .append(',')
          .append(i / 2.0)
          .append('\n');
    Path file = dir.resolve("runs.csv");
    Files.writeString(file, csv);
    PlannerBenchmarkProblem p =
        PlannerBenchmarkProblem.dataset(file, List.of("solvent", "temperature"), "yield", "max");
    assertTrue(p.space().parameter("solvent") instanceof Parameter.Categorical);
    assertTrue(p.space().parameter("temperature") instanceof Parameter.Discrete);
    assertEquals(200, p.space().pool().orElseThrow().rows().size());
    assertEquals(99.5, p.optimum());
    // 1 % of 200 rows is the best 2: 99.5 and 99.0.
    assertEquals(99.0, p.topOnePercent());
    assertEquals(1.5, p.regret(98.0));
    assertEquals(
        10.0,
        p.evaluate().applyAsDouble(new Point(Map.of("solvent", "water", "temperature", 20.0))));
  }

  @Test
  void datasetErrorsNameTheColumn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("runs.csv");
    Files.writeString(file, "a,y\n1,2\n");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlannerBenchmarkProblem.dataset(file, List.of("b"), "y", "max"));
    assertTrue(e.getMessage().contains("no column 'b'"), e.getMessage());
  }

  @Test
  void expressionIsMinimisedOverItsBounds() {
    PlannerBenchmarkProblem p =
        PlannerBenchmarkProblem.expression("(x1 - 0.3)^2 + x2^2", "x1=0:1, x2=-1:1", 0);
    assertEquals(
        0.04 + 0.25, p.evaluate().applyAsDouble(new Point(Map.of("x1", 0.5, "x2", 0.5))), 1e-12);
    assertEquals(-1.0, ((Parameter.Continuous) p.space().parameter("x2")).min());
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlannerBenchmarkProblem.expression("x1 + z", "x1=0:1", 0));
    assertTrue(unknown.getMessage().contains("[z]"), unknown.getMessage());
    var bounds =
        assertThrows(
            IllegalArgumentException.class,
            () -> PlannerBenchmarkProblem.expression("x1", "x1=0..1", 0));
    assertTrue(bounds.getMessage().contains("NAME=MIN:MAX"), bounds.getMessage());
  }

  @Test
  void noisyProblemMeasuresWithNoiseButScoresTheNoiselessFunction() {
    PlannerBenchmarkProblem exact = PlannerBenchmarkProblem.function("hartmann6").orElseThrow();
    PlannerBenchmarkProblem noisy =
        PlannerBenchmarkProblem.function("hartmann6-noisy").orElseThrow();
    assertEquals("hartmann6-noisy", noisy.name());
    assertEquals(0.1, noisy.noiseSd());
    // Sobol points do not depend on the values, so both runs visit the same points: the regret
    // (noiseless) is identical although the planner was given different values.
    double[] a = new PlannerBenchmark(exact, "sobol", Map.of()).run(3, 12, 4).regret();
    double[] b = new PlannerBenchmark(noisy, "sobol", Map.of()).run(3, 12, 4).regret();
    assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
    // A model-based planner sees the noisy values; the run is still reproducible for a seed.
    double[] c = new PlannerBenchmark(noisy, "bayesian", Map.of()).run(5, 14, 1).regret();
    double[] d = new PlannerBenchmark(noisy, "bayesian", Map.of()).run(5, 14, 1).regret();
    assertEquals(java.util.Arrays.toString(c), java.util.Arrays.toString(d));
  }

  @Test
  void benchmarkRunRecordsRegretAfterEveryEvaluation() {
    PlannerBenchmarkProblem branin = PlannerBenchmarkProblem.function("branin").orElseThrow();
    PlannerBenchmark.Run run = new PlannerBenchmark(branin, "sobol", Map.of()).run(1, 16, 4);
    assertEquals(16, run.regret().length);
    for (int i = 1; i < 16; i++)
      assertTrue(run.regret()[i] <= run.regret()[i - 1], "regret never grows");
    assertTrue(run.regret()[15] >= 0);
  }
}
