package io.labloop.orchestrator.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One experiment of a campaign.
 *
 * @param seq its number in the run, from 1
 * @param status WAITING_APPROVAL, PLANNED, RUNNING, DONE, FAILED, INTERRUPTED, HELD (waits for a
 *     person to release it) or REJECTED
 * @param requested the point the planner asked for
 * @param achieved what the instruments read back (equal to requested where nothing reads back), or
 *     null
 * @param objectives objective values, or null before they are known
 * @param cause why it failed, or null
 * @param plannedAt ISO-8601
 * @param startedAt ISO-8601 or null
 * @param endedAt ISO-8601 or null
 * @param retryOf the experiment whose conditions this one runs again (after an interruption), or
 *     null
 */
public record ExperimentView(
    int seq,
    String status,
    Map<String, Object> requested,
    @Nullable Map<String, Object> achieved,
    @Nullable Map<String, Double> objectives,
    @Nullable String cause,
    String plannedAt,
    @Nullable String startedAt,
    @Nullable String endedAt,
    @Nullable Integer retryOf) {}
