package io.labloop.orchestrator.store;

import io.labloop.planners.Point;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One experiment as stored.
 *
 * @param seq its number in the run, from 1
 * @param requested the conditions the planner asked for
 * @param achieved the conditions the instruments read back (equal to requested where nothing was
 *     read back), once done
 * @param values objective values, once done
 * @param cause why it failed, was interrupted or rejected
 * @param reached true once one of its commands was sent (the budget counts these)
 * @param retryOf the experiment it repeats ({@code on-interrupt: retry})
 */
public record ExperimentRecord(
    String runId,
    int seq,
    ExperimentStatus status,
    Point requested,
    Optional<Point> achieved,
    Map<String, Double> values,
    Optional<String> cause,
    boolean reached,
    OptionalInt retryOf,
    Instant plannedAt,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt) {

  public ExperimentRecord {
    // Kept in the order given (the campaign's objectives): Map.copyOf would reorder them per JVM.
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
