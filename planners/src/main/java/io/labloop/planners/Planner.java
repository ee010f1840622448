package io.labloop.planners;

import java.util.List;

/**
 * Chooses the next conditions. Implementations are deterministic for a given seed and state, keep
 * no hidden state between calls that the state does not rebuild, and never return a point that
 * violates the space's constraints or duplicates a pending one.
 */
public interface Planner {

  /** The planner's name as written in a campaign file. */
  String name();

  /**
   * Returns up to {@code n} distinct suggestions (fewer only when the space has fewer untried
   * points left, e.g. an exhausted candidate pool or grid).
   */
  List<Suggestion> suggest(PlanningState state, int n);
}
