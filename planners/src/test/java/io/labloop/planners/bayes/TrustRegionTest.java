package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Parameter;
import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Designs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trust region's replay of a campaign's history and the box it gives. */
class TrustRegionTest {

  /** Five initial losses, then the given model-based ones. */
  private static double[] history(double... modelled) {
    double[] out = new double[5 + modelled.length];
    for (int i = 0; i < 5; i++) out[i] = 10 + i;
    System.arraycopy(modelled, 0, out, 5, modelled.length);
    return out;
  }

  @Test
  void theInitialDesignDoesNotMoveTheSide() {
    assertEquals(TrustRegion.START_SIDE, TrustRegion.side(history(), 5, 2));
  }

  @Test
  void threeImprovementsInARowDoubleTheSideUpToItsMaximum() {
    assertEquals(TrustRegion.START_SIDE, TrustRegion.side(history(9, 8), 5, 2));
    assertEquals(2 * TrustRegion.START_SIDE, TrustRegion.side(history(9, 8, 7), 5, 2));
    // Capped: six more successes would give 6.4.
    assertEquals(TrustRegion.MAX_SIDE, TrustRegion.side(history(9, 8, 7, 6, 5, 4, 3, 2, 1), 5, 2));
    // A failure resets the run of successes.
    assertEquals(TrustRegion.START_SIDE, TrustRegion.side(history(9, 8, 20, 7), 5, 2));
  }

  @Test
  void failuresHalveTheSideAfterMaxOfFourAndTheDimension() {
    assertEquals(TrustRegion.START_SIDE / 2, TrustRegion.side(history(20, 20, 20, 20), 5, 2));
    assertEquals(TrustRegion.START_SIDE, TrustRegion.side(history(20, 20, 20, 20), 5, 6));
    assertEquals(
        TrustRegion.START_SIDE / 2, TrustRegion.side(history(20, 20, 20, 20, 20, 20), 5, 6));
    // An improvement smaller than a thousandth of the best loss is a failure.
    assertEquals(
        TrustRegion.START_SIDE / 2, TrustRegion.side(history(9.999, 9.998, 9.997, 9.996), 5, 2));
  }

  @Test
  void aConvergedBoxStartsAgainAtTheStartingSide() {
    double[] failures = new double[4 * 6];
    java.util.Arrays.fill(failures, 20);
    // 0.8 halved six times is 0.0125; the seventh halving (0.00625 < 1/128) starts again.
    assertEquals(
        TrustRegion.START_SIDE / 64,
        TrustRegion.side(history(java.util.Arrays.copyOf(failures, 24)), 5, 2),
        1e-12);
    double[] more = new double[28];
    java.util.Arrays.fill(more, 20);
    assertEquals(TrustRegion.START_SIDE, TrustRegion.side(history(more), 5, 2));
  }

  @Test
  void theBoxIsCentredOnTheBestPointAndLongerAlongTheLessRelevantParameter() {
    double[][] x = {{0.1, 0.1}, {0.5, 0.5}, {0.9, 0.9}};
    double[] losses = {3, 1, 2};
    TrustRegion.Box box = TrustRegion.of(x, losses, 3, new double[] {0.1, 0.4});
    // Geometric mean 0.2: weights 0.5 and 2, so half-sides 0.2 and 0.8 at side 0.8.
    assertArrayEquals(new double[] {0.3, 0}, box.lower(), 1e-12);
    assertArrayEquals(new double[] {0.7, 1}, box.upper(), 1e-12);
    assertArrayEquals(new double[] {0.3, 0.5}, box.scale(new double[] {0, 0.5}), 1e-12);
    assertArrayEquals(new double[] {0.7, 0.25}, box.clamp(new double[] {0.9, 0.25}), 1e-12);
  }

  @Test
  void anIrrelevantParameterDoesNotSqueezeTheOthersToNothing() {
    // A length-scale of 1e4 would leave the first side at 0.8 * sqrt(0.1 / 1e4) = 0.0025.
    TrustRegion.Box box = TrustRegion.around(new double[] {0.5, 0.5}, 0.8, new double[] {0.1, 1e4});
    assertEquals(0.8 * Math.sqrt(0.1 / 2), box.upper()[0] - box.lower()[0], 1e-12);
  }

  @Test
  void byDefaultModelledSuggestionsStayInTheBoxAndSayItsSide() {
    Space square =
        new Space(
            List.of(new Parameter.Continuous("x1", 0, 1), new Parameter.Continuous("x2", 0, 1)),
            List.of());
    List<Point> points =
        Designs.sobol(5)
            .suggest(
                new PlanningState(square, PlannerFixtures.minimiseY(), List.of(), List.of()), 12)
            .stream()
            .map(Suggestion::point)
            .toList();
    PlanningState state =
        new PlanningState(
            square,
            PlannerFixtures.minimiseY(),
            PlannerFixtures.observe(
                points, p -> Math.pow(p.number("x1") - 0.3, 2) + Math.pow(p.number("x2") - 0.6, 2)),
            List.of());
    List<Suggestion> batch = Bayesian.builder().seed(2).initial(5).build().suggest(state, 3);
    Point best =
        state.observations().stream()
            .min(java.util.Comparator.comparingDouble(o -> o.values().get("y")))
            .orElseThrow()
            .point();
    for (Suggestion s : batch) {
      double side = s.details().get("trust.side");
      assertTrue(side > 0 && side <= TrustRegion.MAX_SIDE, "side " + side);
      double ls1 = s.details().get("lengthscale.x1");
      double ls2 = s.details().get("lengthscale.x2");
      double g = Math.sqrt(Math.min(2, Math.max(0.005, ls1)) * Math.min(2, Math.max(0.005, ls2)));
      double half1 = side * Math.min(2, Math.max(0.005, ls1)) / g / 2;
      double half2 = side * Math.min(2, Math.max(0.005, ls2)) / g / 2;
      assertTrue(
          Math.abs(s.point().number("x1") - best.number("x1")) <= half1 + 1e-9
              && Math.abs(s.point().number("x2") - best.number("x2")) <= half2 + 1e-9,
          s.point() + " outside the box of side " + side + " around " + best);
    }
    // trust-region: false has no box.
    assertTrue(
        Bayesian.builder()
            .seed(2)
            .initial(5)
            .trustRegion(false)
            .build()
            .suggest(state, 1)
            .get(0)
            .details()
            .keySet()
            .stream()
            .noneMatch(k -> k.startsWith("trust.")));
  }
}
