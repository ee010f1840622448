package io.labloop.planners.design;

import io.labloop.planners.Observation;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a point may be suggested now: it lies in the space (every constraint holds) and
 * it is not a point already observed, still pending, or already chosen in this batch. Every planner
 * funnels its suggestions through one of these, which is how "never violate a constraint, never
 * duplicate a pending point" holds for all of them.
 */
public final class Admissible {

  private final Space space;
  private final Set<Point> taken = new HashSet<>();

  public Admissible(PlanningState state) {
    this.space = state.space();
    for (Observation o : state.observations()) taken.add(o.point());
    taken.addAll(state.pending());
  }

  /** True if {@code point} could be suggested now. */
  public boolean allows(Point point) {
    return !taken.contains(point) && space.contains(point);
  }

  /** Marks {@code point} as chosen; returns false (and changes nothing) if it is not admissible. */
  public boolean take(Point point) {
    if (!allows(point)) return false;
    taken.add(point);
    return true;
  }

  public boolean isTaken(Point point) {
    return taken.contains(point);
  }

  /** The pool rows still free, in pool order (empty list if the space has no pool). */
  public List<Point> freePoolRows() {
    return space.pool().map(p -> p.rows().stream().filter(this::allows).toList()).orElse(List.of());
  }
}
