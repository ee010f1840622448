package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.PriorData;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Designs;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class WarmStartTest {

  private static final Space SQUARE =
      new Space(
          List.of(new Parameter.Continuous("x1", 0, 1), new Parameter.Continuous("x2", 0, 1)),
          List.of());

  private static double bowl(Point p) {
    return Math.pow(p.number("x1") - 0.8, 2) + Math.pow(p.number("x2") - 0.3, 2);
  }

  private static List<Observation> measured(int n, long seed, ToDoubleFunction<Point> f) {
    return Designs.sobol(seed)
        .suggest(new PlanningState(SQUARE, PlannerFixtures.minimiseY(), List.of(), List.of()), n)
        .stream()
        .map(Suggestion::point)
        .map(p -> Observation.ok(p, Map.of("y", f.applyAsDouble(p))))
        .toList();
  }

  private static Planner planner() {
    return Bayesian.builder().seed(3).initial(5).build();
  }

  private static Suggestion first(List<PriorData> prior) {
    return planner()
        .suggest(
            new PlanningState(SQUARE, PlannerFixtures.minimiseY(), List.of(), List.of(), prior), 1)
        .get(0);
  }

  @Test
  void earlierDataOfTheSameSettingLetTheModelChooseTheFirstExperimentNearTheOptimum() {
    Suggestion cold = first(List.of());
    assertTrue(cold.reason().contains("initial design"), cold.reason());

    Suggestion warm =
        first(List.of(new PriorData("file old.csv", "", measured(16, 7, WarmStartTest::bowl))));
    assertTrue(warm.reason().contains("EI"), warm.reason());
    assertTrue(bowl(warm.point()) < 0.02, "first warm-started point " + warm.point());
    assertEquals(16.0, warm.details().get("prior.points"));
  }

  @Test
  void theModelLearnsHowFarAnotherTaskAgrees() {
    // The campaign's own four points, and 20 earlier points of another task: in one case the
    // same bowl shifted up by 3 (agrees), in the other an unrelated ridge (does not).
    List<Observation> own = measured(6, 5, WarmStartTest::bowl);
    double related = agreement(own, measured(20, 9, p -> bowl(p) + 3));
    double unrelated =
        agreement(
            own, measured(20, 9, p -> Math.sin(9 * p.number("x1")) * Math.cos(7 * p.number("x2"))));
    assertTrue(related > 0.8, "agreement with a shifted copy " + related);
    assertTrue(unrelated < related - 0.2, "unrelated " + unrelated + " vs related " + related);
  }

  @Test
  void eachEarlierTaskGetsItsOwnAgreementInOneModel() {
    // Two earlier tasks at once, one the bowl shifted up, one the bowl upside down: the model must
    // not give them one shared figure.
    Suggestion s =
        firstWith(
            measured(6, 5, WarmStartTest::bowl),
            new PriorData("campaign older", "substrate B", measured(20, 9, p -> bowl(p) + 3)),
            new PriorData("campaign other", "substrate C", measured(20, 13, p -> -bowl(p))));
    double related = s.details().get("task.agreement.substrate B");
    double opposite = s.details().get("task.agreement.substrate C");
    assertTrue(related > 0.5, "agreement with a shifted copy " + related);
    assertTrue(opposite < related - 0.2, "opposite " + opposite + " vs related " + related);
  }

  private static double agreement(List<Observation> own, List<Observation> other) {
    return firstWith(own, new PriorData("campaign older", "substrate B", other))
        .details()
        .get("task.agreement.substrate B");
  }

  /** The planner's first suggestion after {@code own}, with {@code prior} as earlier data. */
  private static Suggestion firstWith(List<Observation> own, PriorData... prior) {
    return planner()
        .suggest(
            new PlanningState(SQUARE, PlannerFixtures.minimiseY(), own, List.of(), List.of(prior)),
            1)
        .get(0);
  }
}
