package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Suggestion;
import java.time.Duration;
import java.util.List;

/** A planner whose thinking time goes to the metrics (the engine does not report it). */
record TimedPlanner(Planner planner, LabMetrics metrics) implements Planner {
  @Override
  public String name() {
    return planner.name();
  }

  @Override
  public List<Suggestion> suggest(PlanningState state, int n) {
    long t0 = System.nanoTime();
    try {
      return planner.suggest(state, n);
    } finally {
      metrics.plannerTime(planner.name(), Duration.ofNanos(System.nanoTime() - t0));
    }
  }
}
