package io.labloop.orchestrator.store;

import java.time.Instant;

/**
 * One health probe the daemon sent to an instrument (its {@code health:} command), as stored.
 *
 * @param outcome OK, FAILED, or BUSY (not probed: a step was using the instrument)
 * @param millis how long the probe took
 * @param message why it failed, else empty
 */
public record HealthProbeRecord(
    Instant at, String instrument, String command, String outcome, long millis, String message) {}
