package io.labloop.orchestrator.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a campaign got where it is, from its finished experiments in order: the best value so far of
 * each objective, and the Pareto front of two objectives.
 *
 * <p>"Best" follows the objective's goal through {@link CampaignOutline.Goal#loss} (higher for
 * maximise, lower for minimise, closer for a target), the same order the planner optimises, so the
 * curve only ever improves.
 */
public final class Progression {
  private Progression() {}

  /** One value of one experiment. */
  public record At(int seq, double value) {}

  /**
   * The best-so-far curve as steps: the experiments where the best improved, then the last
   * experiment with the best value it had (so the line reaches the right edge).
   *
   * @param values one objective's values in experiment order (failed experiments left out)
   */
  public static List<At> bestSoFar(List<At> values, CampaignOutline.Goal goal) {
    List<At> out = new ArrayList<>();
    At best = null;
    for (At a : values) {
      if (Double.isNaN(a.value())) continue;
      if (best == null || goal.loss(a.value()) < goal.loss(best.value())) {
        best = a;
        out.add(a);
      }
    }
    if (best != null && !values.isEmpty()) {
      At last = values.get(values.size() - 1);
      if (last.seq() != out.get(out.size() - 1).seq()) out.add(new At(last.seq(), best.value()));
    }
    return out;
  }

  /** Two objectives of one experiment. */
  public record Pair(int seq, double a, double b) {}

  /**
   * The experiments no other experiment beats on both objectives at once (ties on both are kept),
   * ordered along the first objective. Sorting by the first loss and sweeping keeps the lowest
   * second loss seen so far: O(n log n), fine for 10,000 experiments on every refresh.
   */
  public static List<Pair> paretoFront(
      List<Pair> points, CampaignOutline.Goal first, CampaignOutline.Goal second) {
    List<Pair> sorted =
        new ArrayList<>(
            points.stream().filter(p -> !Double.isNaN(p.a()) && !Double.isNaN(p.b())).toList());
    sorted.sort(
        Comparator.<Pair>comparingDouble(p -> first.loss(p.a()))
            .thenComparingDouble(p -> second.loss(p.b())));
    List<Pair> front = new ArrayList<>();
    double bestSecond = Double.POSITIVE_INFINITY;
    double lastFirst = Double.NaN;
    for (Pair p : sorted) {
      double l2 = second.loss(p.b());
      double l1 = first.loss(p.a());
      if (l2 < bestSecond || (l2 == bestSecond && l1 == lastFirst)) {
        front.add(p);
        bestSecond = l2;
        lastFirst = l1;
      }
    }
    front.sort(Comparator.comparingDouble(Pair::a));
    return front;
  }
}
