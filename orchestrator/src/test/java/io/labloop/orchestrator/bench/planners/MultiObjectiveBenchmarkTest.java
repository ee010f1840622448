package io.labloop.orchestrator.bench.planners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiObjectiveBenchmarkTest {

  /**
   * The stated best hypervolume is what a dense sample of the box and its edges reaches (from
   * below, within 0.5 %), so hypervolume regret is never negative and small regrets mean a good
   * front.
   */
  @ParameterizedTest
  @ValueSource(strings = {"branin-currin", "dtlz2"})
  void bestHypervolumeMatchesADenseSample(String name) {
    MultiObjectiveBenchmark.Problem p = MultiObjectiveBenchmark.problem(name).orElseThrow();
    int d = p.space().parameters().size();
    SplittableRandom random = new SplittableRandom(1);
    List<double[]> values = new ArrayList<>();
    for (int s = 0; s < 400_000; s++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++)
        x[i] = d == 2 ? random.nextDouble() : (i == 0 ? random.nextDouble() : 0.5);
      // A quarter of the sample on the box's edges, where fronts often lie.
      if (d == 2 && s % 4 == 0) x[random.nextInt(2)] = random.nextInt(2);
      values.add(p.f().apply(x));
    }
    values.sort(Comparator.comparingDouble(v -> v[0]));
    double hv = sweep(values, p.reference());
    assertTrue(
        hv <= p.bestHypervolume() + 1e-9,
        name + ": sample " + hv + " above the stated best " + p.bestHypervolume());
    assertEquals(p.bestHypervolume(), hv, 0.005 * p.bestHypervolume(), name);
  }

  private static double sweep(List<double[]> sortedByF1, double[] reference) {
    // Points in increasing f1; the running minimum of f2 traces the front. The dominated area
    // is the sum of the rectangles between consecutive front points' f1 values.
    double area = 0;
    double currentF2 = reference[1];
    List<double[]> front = new ArrayList<>();
    for (double[] v : sortedByF1) {
      if (v[0] < reference[0] && v[1] < currentF2) {
        front.add(v);
        currentF2 = v[1];
      }
    }
    for (int i = 0; i < front.size(); i++) {
      double f1 = front.get(i)[0];
      double nextF1 = i + 1 < front.size() ? front.get(i + 1)[0] : reference[0];
      area += (nextF1 - f1) * (reference[1] - front.get(i)[1]);
    }
    return area;
  }
}
