package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.CandidatePool;
import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Designs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BayesianPlannerTest {

  private static final Space SQUARE =
      new Space(
          List.of(new Parameter.Continuous("x1", 0, 1), new Parameter.Continuous("x2", 0, 1)),
          List.of());

  private static double bowl(Point p) {
    return Math.pow(p.number("x1") - 0.8, 2) + Math.pow(p.number("x2") - 0.5, 2);
  }

  private static List<Point> sobol(Space space, int n) {
    return Designs.sobol(11)
        .suggest(new PlanningState(space, PlannerFixtures.minimiseY(), List.of(), List.of()), n)
        .stream()
        .map(Suggestion::point)
        .toList();
  }

  private static Planner bayesian(long seed) {
    return Bayesian.builder().seed(seed).initial(5).build();
  }

  @Test
  void learnsToAvoidWhereExperimentsFailed() {
    // The bowl's minimum (x1 = 0.8) lies where every experiment fails (x1 > 0.6).
    List<Observation> withFailures = new ArrayList<>();
    List<Observation> withoutFailures = new ArrayList<>();
    for (Point p : sobol(SQUARE, 24)) {
      Observation o =
          p.number("x1") > 0.6 ? Observation.failed(p) : Observation.ok(p, Map.of("y", bowl(p)));
      withFailures.add(o);
      if (o.isOk()) withoutFailures.add(o);
    }
    long aware =
        inFailingRegion(
            bayesian(1)
                .suggest(
                    new PlanningState(SQUARE, PlannerFixtures.minimiseY(), withFailures, List.of()),
                    8));
    long unaware =
        inFailingRegion(
            bayesian(1)
                .suggest(
                    new PlanningState(
                        SQUARE, PlannerFixtures.minimiseY(), withoutFailures, List.of()),
                    8));
    assertTrue(
        aware < unaware,
        "with failures known " + aware + " of 8 in the failing region, without " + unaware);
    assertTrue(aware <= 2, aware + " of 8 suggestions in the failing region");
  }

  private static long inFailingRegion(List<Suggestion> suggestions) {
    assertEquals(8, suggestions.size());
    return suggestions.stream().filter(s -> s.point().number("x1") > 0.62).count();
  }

  @Test
  void continuousAndCategoricalTogetherFindTheBestValueAndItsOptimum() {
    // One catalyst is better at every temperature; the temperature optimum is the same for all.
    Space space =
        new Space(
            List.of(
                new Parameter.Continuous("t", 0, 1),
                new Parameter.Categorical("catalyst", List.of("a", "b", "c", "d"))),
            List.of());
    java.util.function.ToDoubleFunction<Point> loss =
        p -> Math.pow(p.number("t") - 0.3, 2) + (p.text("catalyst").equals("c") ? 0 : 0.5);
    List<Observation> observed = PlannerFixtures.observe(sobol(space, 12), loss);
    List<Suggestion> next =
        bayesian(5)
            .suggest(new PlanningState(space, PlannerFixtures.minimiseY(), observed, List.of()), 1);
    Point p = next.get(0).point();
    assertEquals("c", p.text("catalyst"), p.toString());
    assertEquals(0.3, p.number("t"), 0.1, p.toString());
    assertTrue(
        next.get(0).details().get("lengthscale.catalyst") > 0, next.get(0).details().toString());
  }

  @Test
  void suggestionsCarryPredictionsAndLengthScales() {
    List<Observation> observed =
        PlannerFixtures.observe(sobol(SQUARE, 12), BayesianPlannerTest::bowl);
    Suggestion s =
        bayesian(3)
            .suggest(new PlanningState(SQUARE, PlannerFixtures.minimiseY(), observed, List.of()), 1)
            .get(0);
    assertEquals("bayesian", s.planner());
    assertTrue(Double.isFinite(s.acquisition()));
    assertTrue(s.predictedMean().containsKey("y") && s.predictedSd().get("y") >= 0);
    assertTrue(
        s.details().get("lengthscale.x1") > 0 && s.details().get("lengthscale.x2") > 0,
        s.details().toString());
    assertTrue(s.reason().startsWith("log-EI"), s.reason());
  }

  @Test
  void reasonStatesAMaximisedPredictionWithItsOwnSign() {
    List<Observation> observed = new ArrayList<>();
    for (Point p : sobol(SQUARE, 12)) observed.add(Observation.ok(p, Map.of("y", 100 - bowl(p))));
    Suggestion s =
        bayesian(3)
            .suggest(
                new PlanningState(
                    SQUARE, List.of(new Objective.Maximize("y")), observed, List.of()),
                1)
            .get(0);
    double predicted = s.predictedMean().get("y");
    assertTrue(predicted > 90, "predicted yield " + predicted);
    assertTrue(
        s.reason().contains(String.format(java.util.Locale.ROOT, "predicted y %.4g", predicted)),
        s.reason());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Bayesian.Acquisition.class,
      names = {"EI", "HEDGE"})
  void findsTheBowlMinimumWithinAFewDozenExperiments(Bayesian.Acquisition acquisition) {
    List<Observation> observed = new ArrayList<>();
    Planner planner = Bayesian.builder().seed(4).initial(5).acquisition(acquisition).build();
    for (int i = 0; i < 25; i++) {
      Point p =
          planner
              .suggest(
                  new PlanningState(SQUARE, PlannerFixtures.minimiseY(), observed, List.of()), 1)
              .get(0)
              .point();
      observed.add(Observation.ok(p, Map.of("y", bowl(p))));
    }
    double best = observed.stream().mapToDouble(o -> o.values().get("y")).min().orElseThrow();
    assertTrue(best < 1e-3, "best after 25 experiments " + best);
  }

  @Test
  void pendingPointsPushTheNextSuggestionAway() {
    List<Observation> observed =
        PlannerFixtures.observe(sobol(SQUARE, 12), BayesianPlannerTest::bowl);
    PlanningState alone =
        new PlanningState(SQUARE, PlannerFixtures.minimiseY(), observed, List.of());
    Point first = bayesian(5).suggest(alone, 1).get(0).point();
    PlanningState pending =
        new PlanningState(SQUARE, PlannerFixtures.minimiseY(), observed, List.of(first));
    Point next = bayesian(5).suggest(pending, 1).get(0).point();
    double distance =
        Math.hypot(next.number("x1") - first.number("x1"), next.number("x2") - first.number("x2"));
    assertTrue(distance > 1e-3, "the suggestion with " + first + " pending was " + next);
  }

  @Test
  void reachesATargetInsteadOfAnExtreme() {
    // y = x1 on [0, 1]; target 0.25 ± 0.01. Maximising or minimising would go to an edge.
    Space line = new Space(List.of(new Parameter.Continuous("x1", 0, 1)), List.of());
    List<Objective> target = List.of(new Objective.Target("y", 0.25, 0.01));
    List<Observation> observed = new ArrayList<>();
    Planner planner = bayesian(6);
    for (int i = 0; i < 15; i++) {
      Point p =
          planner.suggest(new PlanningState(line, target, observed, List.of()), 1).get(0).point();
      observed.add(Observation.ok(p, Map.of("y", p.number("x1"))));
    }
    assertTrue(observed.stream().anyMatch(o -> Math.abs(o.values().get("y") - 0.25) <= 0.01));
  }

  @Test
  void twoObjectivesReportTheParetoFront() {
    List<Objective> both = List.of(new Objective.Minimize("a"), new Objective.Minimize("b"));
    List<Observation> observed = new ArrayList<>();
    for (Point p : sobol(SQUARE, 12)) {
      observed.add(
          Observation.ok(p, Map.of("a", p.number("x1"), "b", 1 - p.number("x1") + p.number("x2"))));
    }
    List<Suggestion> batch =
        bayesian(7).suggest(new PlanningState(SQUARE, both, observed, List.of()), 3);
    assertEquals(3, batch.size());
    Suggestion s = batch.get(0);
    assertTrue(s.details().get("pareto.size") >= 1);
    assertTrue(s.details().get("pareto.hypervolume") > 0);
  }

  @Test
  void ranksACandidatePoolAndNeverLeavesIt() {
    List<Point> rows = new ArrayList<>();
    for (int i = 0; i <= 20; i++) {
      for (int j = 0; j <= 20; j += 5)
        rows.add(PlannerFixtures.point("x1", i / 20.0, "x2", j / 20.0));
    }
    Space pooled =
        new Space(
            SQUARE.parameters(), List.of(), Optional.of(new CandidatePool(rows, "grid rows")));
    List<Observation> observed = new ArrayList<>();
    Planner planner = bayesian(8);
    for (int i = 0; i < 6; i++) {
      for (Suggestion s :
          planner.suggest(
              new PlanningState(pooled, PlannerFixtures.minimiseY(), observed, List.of()), 3)) {
        assertTrue(rows.contains(s.point()), "left the pool: " + s.point());
        assertFalse(observed.stream().anyMatch(o -> o.point().equals(s.point())));
        observed.add(Observation.ok(s.point(), Map.of("y", bowl(s.point()))));
      }
    }
    double best = observed.stream().mapToDouble(o -> o.values().get("y")).min().orElseThrow();
    assertEquals(
        0.0,
        best,
        1e-12,
        "the pool holds the exact minimum (0.8, 0.5) and 18 experiments should find it");
  }

  @Test
  void degenerateDataNeverStopsTheCampaign() {
    // The same two points measured over and over with one constant value: a singular kernel
    // matrix and zero output variance.
    Point a = PlannerFixtures.point("x1", 0.25, "x2", 0.25);
    Point b = PlannerFixtures.point("x1", 0.75, "x2", 0.75);
    List<Observation> observed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      observed.add(Observation.ok(a, Map.of("y", 1.0)));
      observed.add(Observation.ok(b, Map.of("y", 1.0)));
    }
    List<Suggestion> batch =
        bayesian(9)
            .suggest(
                new PlanningState(SQUARE, PlannerFixtures.minimiseY(), observed, List.of()), 4);
    assertEquals(4, batch.size());
    assertTrue(batch.stream().noneMatch(s -> s.point().equals(a) || s.point().equals(b)));
  }
}
