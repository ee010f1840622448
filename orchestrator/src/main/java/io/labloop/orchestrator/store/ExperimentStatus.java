package io.labloop.orchestrator.store;

/** Where an experiment is in its life. */
public enum ExperimentStatus {
  /** Chosen by the planner and stored; no command sent yet. */
  PLANNED,
  /** Waiting for a person to approve it ({@code approval: manual}). */
  AWAITING_APPROVAL,
  /** At least one step started. */
  RUNNING,
  /** Every step done and the objectives extracted. */
  DONE,
  /** A step failed (the cause says which and why) or it was aborted. */
  FAILED,
  /** Cut short by a crash in a step that could not safely be sent again. */
  INTERRUPTED,
  /** Interrupted and held for a person to decide ({@code on-interrupt: hold}). */
  HELD,
  /** A person rejected the suggestion; the planner learns it as a failed point. */
  REJECTED;

  /** True once nothing more will happen to the experiment. */
  public boolean finished() {
    return this == DONE
        || this == FAILED
        || this == INTERRUPTED
        || this == HELD
        || this == REJECTED;
  }
}
