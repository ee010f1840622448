package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Designs;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The GP-Hedge portfolio ({@code acquisition: hedge}). */
class HedgeTest {

  private static final Space SQUARE =
      new Space(
          List.of(new Parameter.Continuous("x1", 0, 1), new Parameter.Continuous("x2", 0, 1)),
          List.of());
  private static final Pattern REASON =
      Pattern.compile("hedge chose (log-EI|log-PI|UCB) \\(p ([0-9.]+)\\): (\\S+) ");

  private static double bowl(Point p) {
    return Math.pow(p.number("x1") - 0.8, 2) + Math.pow(p.number("x2") - 0.5, 2);
  }

  private static Planner hedge(long seed) {
    return Bayesian.builder().seed(seed).initial(5).acquisition(Bayesian.Acquisition.HEDGE).build();
  }

  private static PlanningState observedBowl(int n) {
    List<Point> points =
        Designs.sobol(11)
            .suggest(
                new PlanningState(SQUARE, PlannerFixtures.minimiseY(), List.of(), List.of()), n)
            .stream()
            .map(Suggestion::point)
            .toList();
    return new PlanningState(
        SQUARE,
        PlannerFixtures.minimiseY(),
        PlannerFixtures.observe(points, HedgeTest::bowl),
        List.of());
  }

  @Test
  void theSameSeedAndStateGiveTheSameBatch() {
    PlanningState state = observedBowl(12);
    List<Suggestion> first = hedge(7).suggest(state, 4);
    List<Suggestion> again = hedge(7).suggest(state, 4);
    assertEquals(
        first.stream().map(Suggestion::point).toList(),
        again.stream().map(Suggestion::point).toList());
    assertEquals(
        first.stream().map(Suggestion::reason).toList(),
        again.stream().map(Suggestion::reason).toList());
  }

  @Test
  void aBatchHasNoDuplicatesAndEachSuggestionNamesTheAcquisitionThatChoseIt() {
    PlanningState state = observedBowl(12);
    List<Suggestion> batch = hedge(3).suggest(state, 6);
    assertEquals(6, batch.size());
    assertEquals(
        6, new HashSet<>(batch.stream().map(Suggestion::point).toList()).size(), batch.toString());
    for (Suggestion s : batch) {
      assertTrue(
          state.observations().stream().noneMatch(o -> o.point().equals(s.point())),
          "already run: " + s.point());
      Matcher m = REASON.matcher(s.reason());
      assertTrue(m.lookingAt(), s.reason());
      // The score reported is the chosen acquisition's own.
      assertEquals(m.group(1), m.group(3), s.reason());
      double p = s.details().get("hedge.probability");
      assertTrue(p > 0 && p <= 1, "probability " + p);
      assertEquals(Double.parseDouble(m.group(2)), p, 0.005);
      for (String label : List.of("log-EI", "log-PI", "UCB")) {
        assertTrue(Double.isFinite(s.details().get("hedge.gain." + label)), s.details().toString());
      }
    }
  }

  @Test
  void theDrawUsesEveryAcquisitionOfThePortfolioAcrossSeeds() {
    PlanningState state = observedBowl(12);
    Set<String> chosen = new HashSet<>();
    for (long seed = 0; seed < 30; seed++) {
      Matcher m = REASON.matcher(hedge(seed).suggest(state, 1).get(0).reason());
      assertTrue(m.lookingAt());
      chosen.add(m.group(1));
    }
    assertTrue(chosen.size() >= 2, "only " + chosen + " was ever chosen");
  }

  @Test
  void aSingleAcquisitionIsNotAHedge() {
    Suggestion s =
        Bayesian.builder()
            .seed(3)
            .initial(5)
            .acquisition(Bayesian.Acquisition.PI)
            .build()
            .suggest(observedBowl(12), 1)
            .get(0);
    assertTrue(s.reason().startsWith("log-PI "), s.reason());
    assertTrue(!s.details().containsKey("hedge.probability"), s.details().toString());
  }
}
