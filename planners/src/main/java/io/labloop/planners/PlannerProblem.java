package io.labloop.planners;

/**
 * One thing wrong with a campaign's {@code planner:} block.
 *
 * @param option the key inside the block ({@code acquisition}, {@code file}, ...); empty when the
 *     problem is the planner type itself
 * @param message what is wrong and what was expected
 */
public record PlannerProblem(String option, String message) {
  @Override
  public String toString() {
    return option.isEmpty() ? message : option + ": " + message;
  }
}
