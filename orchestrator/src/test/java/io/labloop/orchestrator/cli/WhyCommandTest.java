package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What {@code labloop why} prints for a decision of the default Bayesian planner. */
class WhyCommandTest {

  @Test
  void aContinuousSearchSaysItsTrustRegionAndWhatMatters() {
    Space space =
        new Space(
            List.of(
                new Parameter.Continuous("temperature", 20, 80),
                new Parameter.Continuous("time", 1, 10)),
            List.of());
    List<Observation> observed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      double t = 20 + 60 * ((i * 7) % 10) / 9.0;
      double m = 1 + 9 * ((i * 3) % 10) / 9.0;
      observed.add(
          Observation.ok(
              new Point(Map.of("temperature", t, "time", m)),
              Map.of("yield", -Math.pow((t - 55) / 10, 2) - 0.01 * m)));
    }
    Suggestion decision =
        Planners.create(new PlannerSpec("bayesian", 3, Map.of()))
            .suggest(
                new PlanningState(
                    space, List.of(new Objective.Maximize("yield")), observed, List.of()),
                1)
            .get(0);
    ExperimentRecord e =
        new ExperimentRecord(
            "demo/1",
            11,
            ExperimentStatus.PLANNED,
            decision.point(),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            false,
            OptionalInt.empty(),
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty());
    List<String> lines = WhyCommand.explain("demo/1", e, decision);
    String text = String.join("\n", lines);
    List<String> box = lines.stream().filter(l -> l.contains("trust region")).toList();
    assertEquals(1, box.size(), text);
    assertTrue(
        box.get(0)
            .contains(
                String.format(
                    java.util.Locale.ROOT, "side %.3g", decision.details().get("trust.side"))),
        text);
    // The side is said once, in words, not again among the model's figures.
    assertTrue(
        lines.stream().noneMatch(l -> l.startsWith("  model:") && l.contains("trust.side")), text);
    // Temperature decides the yield here; time hardly matters, so its length-scale is longer.
    String matters =
        lines.stream().filter(l -> l.contains("what matters")).findFirst().orElseThrow();
    assertTrue(matters.indexOf("temperature") < matters.indexOf("time"), matters);
  }
}
