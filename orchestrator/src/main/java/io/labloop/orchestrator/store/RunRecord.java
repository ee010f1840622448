package io.labloop.orchestrator.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of a campaign.
 *
 * @param id {@code CAMPAIGN/N}, N counting the runs of that campaign from 1
 * @param campaignSha256 the campaign text this run was started with
 * @param seed the planner seed in force
 */
public record RunRecord(
    String id,
    String campaign,
    String campaignSha256,
    long seed,
    RunStatus status,
    Instant startedAt,
    Optional<Instant> endedAt,
    Optional<String> stopReason) {}
