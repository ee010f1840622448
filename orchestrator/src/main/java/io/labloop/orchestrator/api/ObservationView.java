package io.labloop.orchestrator.api;

import java.util.Map;

/**
 * What the planner learned from one experiment, in the order it learned it.
 *
 * @param seq the experiment's number
 * @param status OK or FAILED
 * @param requested the point asked for
 * @param achieved the point the planner learns from
 * @param objectives objective values (empty for a failed experiment)
 * @param recordedAt ISO-8601
 */
public record ObservationView(
    int seq,
    String status,
    Map<String, Object> requested,
    Map<String, Object> achieved,
    Map<String, Double> objectives,
    String recordedAt) {}
