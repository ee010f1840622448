package io.labloop.planners;

import static io.labloop.planners.PlannerFixtures.constrainedSpace;
import static io.labloop.planners.PlannerFixtures.minimiseY;
import static io.labloop.planners.PlannerFixtures.observe;
import static io.labloop.planners.PlannerFixtures.smallMixedSpace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties every planner type must have, whatever its algorithm. */
class PlannersTest {

  private static Planner planner(String type, long seed) {
    return Planners.create(new PlannerSpec(type, seed, Map.of()));
  }

  private static double quadratic(Point p) {
    return Math.pow(p.number("x1") - 0.6, 2)
        + Math.pow(p.number("x2") - 0.3, 2)
        + 0.01 * Math.log(p.number("x3"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"random", "sobol", "lhs", "grid"})
  void designsNeverViolateConstraintsOverThousandsOfSuggestions(String type) {
    Space space = constrainedSpace();
    Planner planner = planner(type, 3);
    List<Observation> observations = new ArrayList<>();
    int total = 0;
    while (total < 2000) {
      List<Suggestion> batch =
          planner.suggest(new PlanningState(space, minimiseY(), observations, List.of()), 100);
      if (batch.isEmpty()) break;
      for (Suggestion s : batch) {
        assertTrue(space.contains(s.point()), type + " suggested " + s.point());
        observations.add(Observation.ok(s.point(), Map.of("y", quadratic(s.point()))));
      }
      total += batch.size();
    }
    // A 5-level grid has fewer than 2000 admissible points; the others must reach 2000.
    assertTrue(total >= ("grid".equals(type) ? 10 : 2000), type + " gave only " + total);
  }

  @Test
  void bayesianNeverViolatesConstraintsOverThousandsOfSuggestions() {
    Space space = constrainedSpace();
    Planner planner = planner("bayesian", 5);
    List<Observation> observations = new ArrayList<>();
    for (Suggestion s :
        planner("sobol", 5)
            .suggest(new PlanningState(space, minimiseY(), List.of(), List.of()), 12)) {
      observations.add(Observation.ok(s.point(), Map.of("y", quadratic(s.point()))));
    }
    int checked = 0;
    for (int round = 0; round < 10; round++) {
      List<Suggestion> batch =
          planner.suggest(new PlanningState(space, minimiseY(), observations, List.of()), 100);
      assertEquals(100, batch.size());
      for (Suggestion s : batch) {
        assertTrue(space.contains(s.point()), "bayesian suggested " + s.point());
        checked++;
      }
      // Learn from a few of them so every round has a different model.
      for (Suggestion s : batch.subList(0, 3))
        observations.add(Observation.ok(s.point(), Map.of("y", quadratic(s.point()))));
    }
    assertEquals(1000, checked);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"random", "sobol", "lhs", "grid", "bayesian"})
  void batchesNeverRepeatAPointOrAPendingOne(String type) {
    Space space = smallMixedSpace();
    List<Point> all =
        planner("grid", 0)
            .suggest(new PlanningState(space, minimiseY(), List.of(), List.of()), 100)
            .stream()
            .map(Suggestion::point)
            .toList();
    assertEquals(36, all.size());
    List<Observation> observed = observe(all.subList(0, 8), p -> p.number("n") + p.number("c"));
    List<Point> pending = all.subList(8, 14);
    List<Suggestion> batch =
        planner(type, 1).suggest(new PlanningState(space, minimiseY(), observed, pending), 40);
    Set<Point> seen = new HashSet<>();
    for (Suggestion s : batch) {
      assertTrue(seen.add(s.point()), type + " repeated " + s.point());
      assertFalse(pending.contains(s.point()), type + " suggested pending " + s.point());
      assertFalse(
          all.subList(0, 8).contains(s.point()),
          type + " suggested an observed point " + s.point());
    }
    // 36 points minus 8 observed minus 6 pending leave 22: a planner may return fewer, never more.
    assertTrue(batch.size() <= 22);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"random", "sobol", "lhs", "bayesian"})
  void sameSeedAndStateGiveTheSameSuggestions(String type) {
    Space space = constrainedSpace();
    List<Point> design =
        planner("sobol", 9)
            .suggest(new PlanningState(space, minimiseY(), List.of(), List.of()), 12)
            .stream()
            .map(Suggestion::point)
            .toList();
    PlanningState state =
        new PlanningState(
            space, minimiseY(), observe(design, PlannersTest::quadratic), design.subList(0, 0));
    List<Point> a = planner(type, 42).suggest(state, 4).stream().map(Suggestion::point).toList();
    List<Point> b = planner(type, 42).suggest(state, 4).stream().map(Suggestion::point).toList();
    List<Point> c = planner(type, 43).suggest(state, 4).stream().map(Suggestion::point).toList();
    assertEquals(a, b);
    assertNotEquals(a, c, "a different seed should explore differently");
  }

  @Test
  void replayRunsTheFileInOrderAndSkipsWhatWasRun(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("design.csv");
    Files.writeString(csv, "solvent,n,c,note\nwater,1,0.5,a\ndmso,3,1.0,b\nethanol,0,0.1,c\n");
    Space space = smallMixedSpace();
    Planner replay = Planners.create(new PlannerSpec("replay", 0, Map.of("file", csv.toString())));
    Point first = PlannerFixtures.point("n", 1.0, "c", 0.5, "solvent", "water");
    List<Suggestion> next =
        replay.suggest(
            new PlanningState(space, minimiseY(), observe(List.of(first), p -> 1), List.of()), 5);
    assertEquals(
        List.of("dmso", "ethanol"), next.stream().map(s -> s.point().text("solvent")).toList());
  }

  @Test
  void checkReportsEveryProblemByOption(@TempDir Path dir) {
    List<PlannerProblem> problems =
        Planners.check(
            new PlannerSpec("bayesian", 0, Map.of("acquisition", "qnei", "batch", 0, "levels", 3)),
            smallMixedSpace());
    assertEquals(
        Set.of("acquisition", "batch", "levels"),
        problems.stream().map(PlannerProblem::option).collect(java.util.stream.Collectors.toSet()));
    assertEquals(
        "", Planners.check(new PlannerSpec("annealing", 0, Map.of()), null).get(0).option());
    PlannerProblem missing =
        Planners.check(
                new PlannerSpec("replay", 0, Map.of("file", dir.resolve("nope.csv").toString())),
                null)
            .get(0);
    assertEquals("file", missing.option());
    assertTrue(
        Planners.check(
                new PlannerSpec(
                    "bayesian", 1, Map.of("acquisition", "ucb", "beta", 3.0, "initial", 6)),
                null)
            .isEmpty());
    assertTrue(
        Planners.check(
                new PlannerSpec("bayesian", 1, Map.of("acquisition", "hedge", "beta", 3.0)), null)
            .isEmpty());
    assertEquals(
        "beta",
        Planners.check(
                new PlannerSpec("bayesian", 1, Map.of("acquisition", "pi", "beta", 3.0)), null)
            .get(0)
            .option());
    for (Object good : List.of("auto", "none", "NONE", 0.5, 0)) {
      assertTrue(
          Planners.check(new PlannerSpec("bayesian", 1, Map.of("noise", good)), null).isEmpty(),
          "noise " + good);
    }
    for (Object bad : List.of("low", -1.0, "0.5x")) {
      assertEquals(
          "noise",
          Planners.check(new PlannerSpec("bayesian", 1, Map.of("noise", bad)), null)
              .get(0)
              .option(),
          "noise " + bad);
    }
    for (Object good : List.of(true, false, "true")) {
      assertTrue(
          Planners.check(new PlannerSpec("bayesian", 1, Map.of("trust-region", good)), null)
              .isEmpty(),
          "trust-region " + good);
    }
    for (Object bad : List.of("yes", 1, "on")) {
      assertEquals(
          "trust-region",
          Planners.check(new PlannerSpec("bayesian", 1, Map.of("trust-region", bad)), null)
              .get(0)
              .option(),
          "trust-region " + bad);
    }
    assertEquals(new io.labloop.planners.gp.NoiseModel.Fixed(0.5), Planners.noise(0.5));
    assertEquals(io.labloop.planners.gp.NoiseModel.NONE, Planners.noise("none"));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Planners.create(new PlannerSpec("lhs", 0, Map.of("points", -1))));
    assertTrue(e.getMessage().contains("points"), e.getMessage());
  }

  @Test
  void designsWorkOnACandidatePool() {
    Space box = smallMixedSpace();
    List<Point> rows =
        planner("grid", 0)
            .suggest(new PlanningState(box, minimiseY(), List.of(), List.of()), 10)
            .stream()
            .map(Suggestion::point)
            .toList();
    Space pooled =
        new Space(box.parameters(), List.of(), Optional.of(new CandidatePool(rows, "rows")));
    for (String type : List.of("random", "sobol", "lhs", "grid")) {
      List<Suggestion> all =
          planner(type, 2)
              .suggest(new PlanningState(pooled, minimiseY(), List.of(), List.of()), 20);
      assertEquals(10, all.size(), type);
      assertTrue(rows.containsAll(all.stream().map(Suggestion::point).toList()), type);
    }
  }
}
