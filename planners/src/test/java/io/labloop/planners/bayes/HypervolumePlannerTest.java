package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.pareto.Pareto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HypervolumePlannerTest {

  private static final Space SQUARE =
      new Space(
          List.of(new Parameter.Continuous("x1", 0, 1), new Parameter.Continuous("x2", 0, 1)),
          List.of());

  /** Two conflicting bowls: a front along x2 = 0 from x1 = 0 to x1 = 1. */
  private static final List<Objective> BOWLS =
      List.of(new Objective.Minimize("a"), new Objective.Minimize("b"));

  private static final double[] REFERENCE = {2.5, 2.5};

  private static Map<String, Double> bowls(Point p) {
    double x1 = p.number("x1");
    double x2 = p.number("x2");
    return Map.of("a", x1 * x1 + x2 * x2, "b", (x1 - 1) * (x1 - 1) + x2 * x2);
  }

  private static double hypervolume(List<Observation> observations) {
    List<double[]> losses =
        observations.stream()
            .map(o -> new double[] {o.values().get("a"), o.values().get("b")})
            .toList();
    return Pareto.hypervolume(Pareto.front(losses).stream().map(losses::get).toList(), REFERENCE);
  }

  private static List<Observation> run(Planner planner, int evaluations) {
    List<Observation> observations = new ArrayList<>();
    while (observations.size() < evaluations) {
      Suggestion s =
          planner.suggest(new PlanningState(SQUARE, BOWLS, observations, List.of()), 1).get(0);
      observations.add(Observation.ok(s.point(), bowls(s.point())));
    }
    return observations;
  }

  @Test
  void ehviFindsMoreOfTheFrontThanRandomSearch() {
    // The front's hypervolume against (2.5, 2.5) is 6.25 − 1/3 (the region under the front curve).
    double best = 6.25 - 1.0 / 3;
    double ehvi = 0;
    double random = 0;
    for (int seed = 0; seed < 3; seed++) {
      ehvi +=
          best - hypervolume(run(Planners.create(new PlannerSpec("bayesian", seed, Map.of())), 20));
      random +=
          best - hypervolume(run(Planners.create(new PlannerSpec("random", seed, Map.of())), 20));
    }
    assertTrue(
        ehvi < 0.5 * random,
        "hypervolume regret after 20: EHVI " + ehvi / 3 + ", random " + random / 3);
  }

  @Test
  void batchAndPendingPointsAreFantasisedAndNeverRepeated() {
    Planner planner = Planners.create(new PlannerSpec("bayesian", 4, Map.of("initial", 6)));
    List<Observation> observations = run(planner, 8);
    Point pending = new Point(Map.of("x1", 0.5, "x2", 0.0));
    List<Suggestion> batch =
        planner.suggest(new PlanningState(SQUARE, BOWLS, observations, List.of(pending)), 3);
    assertEquals(3, batch.size());
    assertEquals(3, new HashSet<>(batch.stream().map(Suggestion::point).toList()).size());
    for (Suggestion s : batch) {
      assertFalse(s.point().equals(pending));
      assertTrue(s.reason().startsWith("EHVI"), s.reason());
      assertTrue(s.reason().contains("fantasising"), s.reason());
      assertTrue(s.details().containsKey("lengthscale.a.x1"), s.details().toString());
      assertTrue(
          s.predictedMean().containsKey("a") && s.predictedSd().containsKey("b"),
          s.predictedMean().toString());
    }
  }

  @Test
  void worstAcceptableValuesAreTheReferencePoint() {
    List<Objective> bounded =
        List.of(new Objective.Minimize("a", 0.8), new Objective.Maximize("b", -0.9));
    Planner planner = Planners.create(new PlannerSpec("bayesian", 1, Map.of("initial", 6)));
    List<Observation> observations = run(planner, 7);
    Suggestion s =
        planner.suggest(new PlanningState(SQUARE, bounded, observations, List.of()), 1).get(0);
    assertEquals(0.8, s.details().get("reference.a"), 0);
    assertEquals(
        0.9,
        s.details().get("reference.b"),
        0,
        "a maximised objective's worst value -0.9 is the loss 0.9");
  }

  @Test
  void paregoStaysSelectable() {
    Planner planner =
        Planners.create(
            new PlannerSpec("bayesian", 2, Map.of("initial", 6, "acquisition", "parego")));
    List<Observation> observations = run(planner, 7);
    Suggestion s =
        planner.suggest(new PlanningState(SQUARE, BOWLS, observations, List.of()), 1).get(0);
    assertTrue(s.reason().contains("scalarised loss"), s.reason());
  }
}
