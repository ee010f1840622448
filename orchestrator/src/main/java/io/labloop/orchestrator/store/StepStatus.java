package io.labloop.orchestrator.store;

/** The journal state of one attempt of a workflow step. */
public enum StepStatus {
  /**
   * Written before the command is sent; a STARTED row without DONE after a crash means "maybe
   * sent".
   */
  STARTED,
  DONE,
  FAILED,
  /** Found STARTED after a crash and not re-sent because its command is not idempotent. */
  INTERRUPTED
}
