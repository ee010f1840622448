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
    for (int i = 0; i < 200; i++) csv.append(i % 2 == 0 ? "water" : "dmso").append(',').append(i).append(',').append(i / 2.0).append('\n');
    Path file = dir.resolve("runs.csv");
    Files.writeString(file, csv);
    PlannerBenchmarkProblem p = PlannerBenchmarkProblem.dataset(file, List.of("solvent", "temperature"), "yield", "max");
    assertTrue(p.space().parameter("solvent") instanceof Parameter.Categorical);
    assertTrue(p.space().parameter("temperature") instanceof Parameter.Discrete);
    assertEquals(200, p.space().pool().orElseThrow().rows().size());
    assertEquals(99.5, p.optimum());
    // 1 % of 200 rows is the best 2: 99.5 and 99.0.
    assertEquals(99.0, p.topOnePercent());
    assertEquals(1.5, p.regret(98.0));
    assertEquals(10.0, p.evaluate().applyAsDouble(new Point(Map.of("solvent", "water", "temperature", 20.0))));
  }

  @Test
  void datasetErrorsNameTheColumn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("runs.csv");
    Files.writeString(file, "a,y\n1,2\n");
    var e = assertThrows(IllegalArgumentException.class, () -> PlannerBenchmarkProblem.dataset(file, List.of("b"), "y", "max"));
    assertTrue(e.getMessage().contains("no column 'b'"), e.getMessage());
  }

  @Test
  void expressionIsMinimisedOverItsBounds() {
    PlannerBenchmarkProblem p = PlannerBenchmarkProblem.expression("(x1 - 0.3)^2 + x2^2", "x1=0:1, x2=-1:1", 0);
    assertEquals(0.04 + 0.25, p.evaluate().applyAsDouble(new Point(Map.of("x1", 0.5, "x2", 0.5))), 1e-12);
    assertEquals(-1.0, ((Parameter.Continuous) p.space().parameter("x2")).min());
    var unknown = assertThrows(IllegalArgumentException.class, () -> PlannerBenchmarkProblem.expression("x1 + z", "x1=0:1", 0));
    assertTrue(unknown.getMessage().contains("[z]"), unknown.getMessage());
    var bounds = assertThrows(IllegalArgumentException.class, () -> PlannerBenchmarkProblem.expression("x1", "x1=0..1", 0));
    assertTrue(bounds.getMessage().contains("NAME=MIN:MAX"), bounds.getMessage());
  }

  @Test
  void benchmarkRunRecordsRegretAfterEveryEvaluation() {
    PlannerBenchmarkProblem branin = PlannerBenchmarkProblem.function("branin").orElseThrow();
    PlannerBenchmark.Run run = new PlannerBenchmark(branin, "sobol", Map.of()).run(1, 16, 4);
    assertEquals(16, run.regret().length);
    for (int i = 1; i < 16; i++) assertTrue(run.regret()[i] <= run.regret()[i - 1], "regret never grows");
    assertTrue(run.regret()[15] >= 0);
  }
}
