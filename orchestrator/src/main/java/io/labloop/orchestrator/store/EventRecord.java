package io.labloop.orchestrator.store;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Something a person should know about a run.
 *
 * @param ordinal order within the run, from 1
 * @param kind what it is about
 * @param actor who did it, for an {@link EventKind#AUDIT} record (the API token's name); else empty
 */
public record EventRecord(
    String runId,
    long ordinal,
    Instant at,
    EventKind kind,
    Severity severity,
    Optional<String> actor,
    Optional<String> instrument,
    OptionalInt seq,
    String message) {}
