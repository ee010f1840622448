package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.pareto.NonDominatedBoxes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpectedHypervolumeImprovementTest {

  /**
   * The closed form against a Monte-Carlo estimate of E[HVI(Y)] with 400,000 draws, on random
   * fronts and predictive distributions; the tolerance is 4 standard errors of the estimate.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void matchesMonteCarlo(int m) {
    SplittableRandom random = new SplittableRandom(17 + m);
    for (int trial = 0; trial < 6; trial++) {
      List<double[]> front = new ArrayList<>();
      for (int i = 0; i < 3 + random.nextInt(8); i++) {
        double[] p = new double[m];
        for (int k = 0; k < m; k++) p[k] = random.nextDouble();
        front.add(p);
      }
      double[] reference = new double[m];
      Arrays.fill(reference, 1.1);
      NonDominatedBoxes boxes = NonDominatedBoxes.of(front, reference);
      double[] mean = new double[m];
      double[] sd = new double[m];
      for (int k = 0; k < m; k++) {
        mean[k] = 0.2 + 0.6 * random.nextDouble();
        sd[k] = 0.05 + 0.3 * random.nextDouble();
      }
      double exact = new ExpectedHypervolumeImprovement(boxes).value(mean, sd);
      int draws = 400_000;
      double sum = 0;
      double sumSq = 0;
      double[] y = new double[m];
      for (int s = 0; s < draws; s++) {
        for (int k = 0; k < m; k++) y[k] = mean[k] + sd[k] * random.nextGaussian();
        double v = boxes.improvement(y);
        sum += v;
        sumSq += v * v;
      }
      double estimate = sum / draws;
      double se = Math.sqrt(Math.max(sumSq / draws - estimate * estimate, 0) / draws);
      assertTrue(exact > 0, "the test needs a positive improvement");
      assertEquals(estimate, exact, 4 * se + 1e-12, "trial " + trial + " (se " + se + ")");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void withoutUncertaintyItIsTheImprovementOfTheMean(int m) {
    double[] reference = new double[m];
    Arrays.fill(reference, 1);
    double[] a = new double[m];
    Arrays.fill(a, 0.5);
    NonDominatedBoxes boxes = NonDominatedBoxes.of(List.of(a), reference);
    double[] mean = new double[m];
    Arrays.fill(mean, 0.25);
    double[] tiny = new double[m];
    Arrays.fill(tiny, 1e-9);
    assertEquals(
        boxes.improvement(mean), new ExpectedHypervolumeImprovement(boxes).value(mean, tiny), 1e-8);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void aPointFarBehindTheFrontExpectsAlmostNothing(int m) {
    double[] reference = new double[m];
    Arrays.fill(reference, 1);
    double[] a = new double[m];
    NonDominatedBoxes boxes = NonDominatedBoxes.of(List.of(a), reference);
    double[] mean = new double[m];
    Arrays.fill(mean, 0.9);
    double[] sd = new double[m];
    Arrays.fill(sd, 0.01);
    assertEquals(0, new ExpectedHypervolumeImprovement(boxes).value(mean, sd), 1e-300);
  }
}
