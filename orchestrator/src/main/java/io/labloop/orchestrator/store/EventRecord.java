package io.labloop.orchestrator.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something a person should know about a run.
 *
 * @param ordinal order within the run, from 1
 * @param kind e.g. {@code interlock-hold}, {@code watchdog}, {@code paused}, {@code stopped}
 * @param severity {@code info}, {@code warning} or {@code alert}
 */
public record EventRecord(
    String runId,
    long ordinal,
    Instant at,
    String kind,
    String severity,
    Optional<String> instrument,
    OptionalInt seq,
    String message) {}
