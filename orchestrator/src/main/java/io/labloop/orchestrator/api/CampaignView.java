package io.labloop.orchestrator.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One campaign run as the API shows it.
 *
 * @param id the run's id (what every other route takes)
 * @param name the {@code campaign:} name
 * @param status SCHEDULED, RUNNING, PAUSED, STOPPED (unfinished, not running in this daemon), DONE
 *     or ABORTED
 * @param approval AUTO or MANUAL
 * @param schedule the cron expression of a planned start, or null
 * @param experimentsReached experiments that reached an instrument (what the budget counts)
 * @param experimentsDone experiments that finished with data
 * @param experimentsFailed experiments that failed or were interrupted
 * @param budget the experiment budget, or null when only time bounds the campaign
 * @param submittedAt ISO-8601 time the campaign was submitted
 * @param startedAt ISO-8601 start time, or null before it starts
 * @param endedAt ISO-8601 end time, or null while it runs
 * @param stopReason why it stopped (budget, target reached, aborted ...), or null
 * @param best the best observation so far (parameter and objective values), or null
 * @param experimentsHeld experiments held after an interruption, waiting for a person to release
 *     them
 * @param runningHere true if this daemon runs the campaign; false for one that ended, is scheduled,
 *     or was started elsewhere on the same store ({@code labloop run}, another daemon)
 * @param drivenBy the daemon (its name) or {@code labloop run} that drives the run now, or drove it
 *     last if it ended or its driver stopped; null for a scheduled campaign or a run from before
 *     drivers were recorded
 */
public record CampaignView(
    String id,
    String name,
    String status,
    String approval,
    @Nullable String schedule,
    int experimentsReached,
    int experimentsDone,
    int experimentsFailed,
    @Nullable Integer budget,
    String submittedAt,
    @Nullable String startedAt,
    @Nullable String endedAt,
    @Nullable String stopReason,
    @Nullable Map<String, Object> best,
    int experimentsHeld,
    boolean runningHere,
    @Nullable String drivenBy) {}
