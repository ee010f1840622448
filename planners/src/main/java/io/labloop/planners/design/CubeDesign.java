package io.labloop.planners.design;

import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.util.ArrayList;
import java.util.List;

/**
 * A design that produces positions in the unit cube by index. The index continues from the number
 * of points already observed or pending, so successive calls walk along the design without the
 * planner keeping any state. Positions that decode to an inadmissible point (constraint violated,
 * already run or pending) are skipped; with a candidate pool each position picks the nearest free
 * pool row.
 */
abstract class CubeDesign implements Planner {

  /** How many positions may be skipped per suggestion before giving up (tight constraints). */
  private static final int ATTEMPTS_PER_POINT = 20_000;

  /** The design's position number {@code index} in a cube of {@code dimension} coordinates. */
  abstract double[] position(long index, int dimension);

  @Override
  public List<Suggestion> suggest(PlanningState state, int n) {
    UnitCube cube = new UnitCube(state.space());
    Admissible admissible = new Admissible(state);
    long index = state.observations().size() + state.pending().size();
    List<Suggestion> out = new ArrayList<>();
    if (state.space().pool().isPresent()) {
      List<Point> free = new ArrayList<>(admissible.freePoolRows());
      List<double[]> encoded = new ArrayList<>(free.stream().map(cube::encode).toList());
      while (out.size() < n && !free.isEmpty()) {
        double[] u = position(index++, cube.dimension());
        int best = nearest(encoded, u);
        out.add(
            Suggestion.of(
                free.get(best),
                name(),
                name() + " design, nearest row of " + state.space().pool().get().source()));
        free.remove(best);
        encoded.remove(best);
      }
      return out;
    }
    long limit = index + (long) ATTEMPTS_PER_POINT * n;
    while (out.size() < n && index < limit) {
      Point p = cube.decode(position(index, cube.dimension()));
      index++;
      if (admissible.take(p))
        out.add(Suggestion.of(p, name(), name() + " design point " + (index - 1)));
    }
    return out;
  }

  private static int nearest(List<double[]> rows, double[] u) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int i = 0; i < rows.size(); i++) {
      double[] r = rows.get(i);
      double d = 0;
      for (int j = 0; j < u.length; j++) d += (r[j] - u[j]) * (r[j] - u[j]);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }
}
