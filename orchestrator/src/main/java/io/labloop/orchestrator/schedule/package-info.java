/**
 * Work that happens at a time rather than on request, with Quartz: planned campaign starts ({@code
 * schedule:} in a campaign file), periodic instrument health checks and configured calibration
 * commands. {@link io.labloop.orchestrator.schedule.LabScheduler} runs two Quartz schedulers: one
 * for this PC's instruments (health checks, calibrations; always in memory) and one for campaign
 * starts (in memory by default; the JDBC job store in clustered mode when the store is PostgreSQL,
 * so that a start survives the daemon that accepted it). What the jobs do is behind {@link
 * io.labloop.orchestrator.schedule.ScheduledWork}.
 */
@NullMarked
package io.labloop.orchestrator.schedule;

import org.jspecify.annotations.NullMarked;
