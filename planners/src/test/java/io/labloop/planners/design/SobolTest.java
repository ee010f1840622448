package io.labloop.planners.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.PlannerFixtures;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Suggestion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SobolTest {

  @ParameterizedTest(name = "dimension {0}")
  @ValueSource(ints = {1, 2, 6, 10, 21})
  void everyBlockOfTwoToTheKPointsFillsEveryStratumOfEveryCoordinate(int dimension) {
    // The defining property of a (t, s)-sequence in base 2: each 1-D projection of the first
    // 2^k points has exactly one point in each interval [i/2^k, (i+1)/2^k). A digital shift keeps
    // it.
    Sobol sobol = new Sobol(dimension, 77);
    int k = 7;
    int n = 1 << k;
    double[][] points = sobol.points(0, n);
    for (int j = 0; j < dimension; j++) {
      boolean[] hit = new boolean[n];
      for (double[] p : points) {
        int cell = (int) (p[j] * n);
        assertFalse(hit[cell], "coordinate " + j + " has two points in cell " + cell);
        hit[cell] = true;
      }
    }
  }

  @ParameterizedTest(name = "dimension {0}")
  @ValueSource(ints = {2, 5})
  void seedsGiveDifferentButReproducibleSequences(int dimension) {
    assertArrayEquals(new Sobol(dimension, 1).point(12), new Sobol(dimension, 1).point(12));
    assertFalse(
        Arrays.equals(new Sobol(dimension, 1).point(12), new Sobol(dimension, 2).point(12)));
  }

  @ParameterizedTest(name = "{0} points")
  @ValueSource(ints = {5, 16, 33})
  void latinHypercubeRowsCoverEveryStratumOnce(int points) {
    List<Suggestion> rows =
        Designs.lhs(3, points)
            .suggest(
                new PlanningState(square(), PlannerFixtures.minimiseY(), List.of(), List.of()),
                points);
    assertEquals(points, rows.size());
    for (String name : List.of("x1", "x2")) {
      boolean[] hit = new boolean[points];
      for (Suggestion s : rows) {
        int cell = (int) Math.min(points - 1, s.point().number(name) * points);
        assertFalse(hit[cell], name + " stratum " + cell + " twice");
        hit[cell] = true;
      }
    }
    assertTrue(rows.stream().allMatch(s -> s.planner().equals("lhs")));
  }

  private static io.labloop.planners.Space square() {
    return new io.labloop.planners.Space(
        List.of(
            new io.labloop.planners.Parameter.Continuous("x1", 0, 1),
            new io.labloop.planners.Parameter.Continuous("x2", 0, 1)),
        List.of());
  }
}
