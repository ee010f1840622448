package io.labloop.orchestrator.campaign;

import io.labloop.planners.Objective;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders results for "best so far", "target reached" and "no improvement". Objectives are compared
 * in campaign order (lexicographically): the first objective decides, the next breaks ties. A
 * target counts as met anywhere within its tolerance (loss 0 there), so with {@code peak: target
 * 520 ± 5} then {@code fwhm: minimize}, the best result is the narrowest peak among those on
 * target.
 */
final class Scoring {

  private final List<Objective> objectives;

  Scoring(List<Objective> objectives) {
    this.objectives = List.copyOf(objectives);
  }

  double loss(Objective o, double value) {
    if (o instanceof Objective.Target t)
      return Math.max(0, Math.abs(value - t.value()) - t.tolerance());
    return o.loss(value);
  }

  /** Negative if {@code a} is better than {@code b}. */
  int compare(Map<String, Double> a, Map<String, Double> b) {
    for (Objective o : objectives) {
      int c = Double.compare(loss(o, a.get(o.name())), loss(o, b.get(o.name())));
      if (c != 0) return c;
    }
    return 0;
  }

  Comparator<Map<String, Double>> comparator() {
    return this::compare;
  }

  /** True if the campaign has targets and {@code values} meets every one of them. */
  boolean targetsMet(Map<String, Double> values) {
    boolean any = false;
    for (Objective o : objectives) {
      if (o instanceof Objective.Target t) {
        any = true;
        Double v = values.get(t.name());
        if (v == null || !t.within(v)) return false;
      }
    }
    return any;
  }
}
