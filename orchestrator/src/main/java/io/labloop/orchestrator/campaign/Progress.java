package io.labloop.orchestrator.campaign;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a run stands.
 *
 * @param counted experiments that reached an instrument (what the budget counts)
 * @param budget the experiment budget, if any
 * @param done experiments done
 * @param failed experiments failed, interrupted, held or rejected
 * @param inFlight experiments planned or running
 * @param awaitingApproval experiments waiting for a person
 * @param held experiments held after an interruption for a person to release (counted in {@code
 *     failed} too)
 * @param best the best experiment so far
 * @param eta time to the end of the budget at the pace so far
 */
public record Progress(
    String runId,
    State state,
    int counted,
    OptionalInt budget,
    int done,
    int failed,
    int inFlight,
    int awaitingApproval,
    int held,
    Optional<Best> best,
    Optional<Duration> eta) {

  public enum State {
    RUNNING,
    PAUSED,
    STOPPING,
    FINISHED
  }
}
