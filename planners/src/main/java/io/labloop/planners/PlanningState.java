package io.labloop.planners;

import java.util.List;

/**
 * Everything a planner may use: the space, the objectives, every observation so far (in the order
 * they were made), the points still being run (pending), which must not be suggested again, and
 * observations from before the campaign ({@link PriorData}: a warm start, not part of the budget).
 */
public record PlanningState(
    Space space,
    List<Objective> objectives,
    List<Observation> observations,
    List<Point> pending,
    List<PriorData> prior) {

  /** A state without prior data. */
  public PlanningState(
      Space space,
      List<Objective> objectives,
      List<Observation> observations,
      List<Point> pending) {
    this(space, objectives, observations, pending, List.of());
  }

  public PlanningState {
    objectives = List.copyOf(objectives);
    observations = List.copyOf(observations);
    pending = List.copyOf(pending);
    prior = List.copyOf(prior);
    if (objectives.isEmpty())
      throw new IllegalArgumentException("at least one objective is needed");
  }
}
