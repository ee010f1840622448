package io.labloop.planners.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NonDominatedBoxesTest {

  /**
   * The boxes' improvement for a new point equals the hypervolume it adds, by the slicing
   * algorithm.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void improvementIsTheHypervolumeAdded(int m) {
    SplittableRandom random = new SplittableRandom(m);
    for (int trial = 0; trial < 30; trial++) {
      List<double[]> front = new ArrayList<>();
      int n = 1 + random.nextInt(12);
      for (int i = 0; i < n; i++) front.add(randomPoint(m, random));
      double[] reference = new double[m];
      java.util.Arrays.fill(reference, 0.9);
      NonDominatedBoxes boxes = NonDominatedBoxes.of(front, reference);
      double base = Pareto.hypervolume(front, reference);
      for (int t = 0; t < 20; t++) {
        double[] y = randomPoint(m, random);
        List<double[]> with = new ArrayList<>(front);
        with.add(y);
        assertEquals(
            Pareto.hypervolume(with, reference) - base,
            boxes.improvement(y),
            1e-12,
            "front of " + n + ", trial " + trial);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void anEmptyFrontLeavesTheWholeReferenceOrthant(int m) {
    double[] reference = new double[m];
    java.util.Arrays.fill(reference, 1);
    NonDominatedBoxes boxes =
        NonDominatedBoxes.of(
            List.of(new double[m == 2 ? 2 : 3]).stream()
                .map(
                    p -> {
                      java.util.Arrays.fill(p, 2);
                      return p;
                    })
                .toList(),
            reference);
    double[] y = new double[m];
    assertEquals(
        1.0, boxes.improvement(y), 1e-15, "the point outside the reference box is ignored");
  }

  private static double[] randomPoint(int m, SplittableRandom random) {
    double[] p = new double[m];
    for (int k = 0; k < m; k++) p[k] = random.nextDouble();
    return p;
  }
}
