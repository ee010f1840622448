package io.labloop.orchestrator.store;

import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import java.time.Instant;

/**
 * What the planner learned from one experiment, in learning order.
 *
 * @param observation what the planner sees: the achieved point and the values (or FAILED)
 * @param requested what the planner asked for
 */
public record ObservationRecord(
    String runId,
    int seq,
    int ordinal,
    Observation observation,
    Point requested,
    Instant recordedAt) {}
