package io.labloop.planners.bayes;

import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Suggestion;
import io.labloop.planners.design.Designs;
import java.util.List;

final class BayesianPlanner implements Planner {
  private final Bayesian.Builder config;

  BayesianPlanner(Bayesian.Builder config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "bayesian";
  }

  @Override
  public List<Suggestion> suggest(PlanningState state, int n) {
    // STUB until the model lands.
    return Designs.sobol(config.seed).suggest(state, n);
  }
}
