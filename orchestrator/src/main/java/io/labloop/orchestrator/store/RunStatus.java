package io.labloop.orchestrator.store;

/** The state of one run of a campaign. */
public enum RunStatus {
  /** Started and not finished; resumed by the next {@code labloop run} of the same campaign. */
  RUNNING,
  /** A stop rule ended it (budget, wall time, target reached, no improvement). */
  COMPLETED,
  /** Aborted by a person; every instrument got its abort command. */
  ABORTED
}
