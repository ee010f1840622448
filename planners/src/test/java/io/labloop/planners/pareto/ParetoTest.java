package io.labloop.planners.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParetoTest {

  @Test
  void frontKeepsOnlyNonDominatedPoints() {
    List<double[]> losses =
        List.of(
            new double[] {1, 5},
            new double[] {2, 2},
            new double[] {3, 3},
            new double[] {5, 1},
            new double[] {2, 2.5});
    assertEquals(List.of(0, 1, 3), Pareto.front(losses));
  }

  @Test
  void twoDimensionalHypervolumeIsTheStaircaseArea() {
    List<double[]> front = List.of(new double[] {1, 5}, new double[] {2, 2}, new double[] {5, 1});
    // Slices along the second objective: y in [1,2): width 6-5=1; [2,5): width 6-2=4; [5,6): width
    // 6-1=5.
    assertEquals(1 * 1 + 3 * 4 + 1 * 5, Pareto.hypervolume(front, new double[] {6, 6}), 1e-12);
  }

  @Test
  void threeDimensionalHypervolumeMatchesMonteCarlo() {
    List<double[]> points =
        List.of(
            new double[] {0.2, 0.6, 0.5},
            new double[] {0.5, 0.3, 0.4},
            new double[] {0.7, 0.7, 0.1});
    double[] ref = {1, 1, 1};
    SplittableRandom r = new SplittableRandom(3);
    int inside = 0;
    int samples = 400_000;
    for (int i = 0; i < samples; i++) {
      double[] u = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      for (double[] p : points) {
        if (p[0] <= u[0] && p[1] <= u[1] && p[2] <= u[2]) {
          inside++;
          break;
        }
      }
    }
    assertEquals(inside / (double) samples, Pareto.hypervolume(points, ref), 0.005);
  }
}
