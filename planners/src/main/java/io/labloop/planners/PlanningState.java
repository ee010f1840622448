package io.labloop.planners;

import java.util.List;

/**
 * Everything a planner may use: the space, the objectives, every observation so far (in the order
 * they were made) and the points still being run (pending), which must not be suggested again.
 */
public record PlanningState(
    Space space, List<Objective> objectives, List<Observation> observations, List<Point> pending) {

  public PlanningState {
    objectives = List.copyOf(objectives);
    observations = List.copyOf(observations);
    pending = List.copyOf(pending);
    if (objectives.isEmpty())
      throw new IllegalArgumentException("at least one objective is needed");
  }
}
