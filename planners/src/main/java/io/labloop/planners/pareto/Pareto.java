package io.labloop.planners.pareto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Non-dominated sets and the hypervolume they dominate, over losses (smaller is better). */
public final class Pareto {

  private Pareto() {}

  /** Indices of the rows no other row dominates (at least as good everywhere, better somewhere). */
  public static List<Integer> front(List<double[]> losses) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < losses.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < losses.size() && !dominated; j++) {
        dominated = j != i && dominates(losses.get(j), losses.get(i));
      }
      if (!dominated) out.add(i);
    }
    return out;
  }

  public static boolean dominates(double[] a, double[] b) {
    boolean better = false;
    for (int k = 0; k < a.length; k++) {
      if (a[k] > b[k]) return false;
      if (a[k] < b[k]) better = true;
    }
    return better;
  }

  /**
   * The volume dominated by {@code points} and bounded by {@code reference} (a point worse than
   * every point of interest). Exact, by slicing along the last objective and recursing; fine for
   * the few dozen front points of a lab campaign.
   */
  public static double hypervolume(List<double[]> points, double[] reference) {
    List<double[]> inside = new ArrayList<>();
    for (double[] p : points) {
      boolean ok = true;
      for (int k = 0; k < p.length; k++) ok &= p[k] < reference[k];
      if (ok) inside.add(p);
    }
    return volume(inside, reference, reference.length);
  }

  private static double volume(List<double[]> points, double[] reference, int dims) {
    if (points.isEmpty()) return 0;
    if (dims == 1) {
      double best = reference[0];
      for (double[] p : points) best = Math.min(best, p[0]);
      return reference[0] - best;
    }
    int k = dims - 1;
    List<double[]> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(p -> p[k]));
    double total = 0;
    for (int i = 0; i < sorted.size(); i++) {
      double lower = sorted.get(i)[k];
      double upper = i + 1 < sorted.size() ? sorted.get(i + 1)[k] : reference[k];
      if (upper <= lower) continue;
      total += (upper - lower) * volume(sorted.subList(0, i + 1), reference, k);
    }
    return total;
  }

  /** A reference point 10 % of the range beyond the worst value of each objective. */
  public static double[] reference(List<double[]> losses) {
    int m = losses.get(0).length;
    double[] lo = new double[m];
    double[] hi = new double[m];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] p : losses) {
      for (int k = 0; k < m; k++) {
        lo[k] = Math.min(lo[k], p[k]);
        hi[k] = Math.max(hi[k], p[k]);
      }
    }
    double[] ref = new double[m];
    for (int k = 0; k < m; k++) ref[k] = hi[k] + 0.1 * Math.max(hi[k] - lo[k], 1e-12);
    return ref;
  }
}
