package io.labloop.orchestrator.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of one workflow step of one experiment: the journal line.
 *
 * @param stepIndex position in the workflow, from 0
 * @param attempt 1 for the first send; an idempotent step re-sent after a crash gets 2, ...
 * @param stepId the workflow step's id ({@code synthesize})
 * @param arguments the values sent
 * @param idempotencyKey {@code RUN/SEQ/STEP}: names the logical step across attempts
 * @param outputs the reply's outputs once DONE
 * @param errorKind timeout, disconnected, refused, bad-reply, limit, interlock, watchdog,
 *     interrupted
 */
public record StepRecord(
    String runId,
    int seq,
    int stepIndex,
    int attempt,
    String stepId,
    String instrument,
    String command,
    Map<String, Object> arguments,
    StepStatus status,
    String idempotencyKey,
    Instant plannedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Map<String, Object> outputs,
    Optional<String> errorKind,
    Optional<String> error) {

  public StepRecord {
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  public static String idempotencyKey(String runId, int seq, String stepId) {
    return runId + "/" + seq + "/" + stepId;
  }
}
