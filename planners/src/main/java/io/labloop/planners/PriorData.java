package io.labloop.planners;

import java.util.List;

/**
 * Observations made before this campaign (an earlier campaign, a spreadsheet), given to the planner
 * as a warm start. They inform the model but are not experiments of this campaign: they do not
 * count in its budget and are not pending or run points.
 *
 * @param source where they came from, as a person reads it ({@code campaign suzuki-1}, {@code file
 *     old.csv})
 * @param task empty when they were made in the same setting as this campaign; otherwise the name of
 *     the related setting (another substrate, another instrument). A model-based planner then
 *     learns how far that setting agrees with this one instead of assuming it is the same.
 * @param observations in this campaign's space and with its objectives
 */
public record PriorData(String source, String task, List<Observation> observations) {

  public PriorData {
    task = task == null ? "" : task;
    observations = List.copyOf(observations);
  }

  /** True when the data come from the campaign's own setting. */
  public boolean sameTask() {
    return task.isEmpty();
  }
}
