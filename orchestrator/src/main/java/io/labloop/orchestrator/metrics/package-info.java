/**
 * The daemon's Prometheus metrics (Micrometer): experiments by state, step durations per instrument
 * and command, instrument errors, planner time and queue lengths, plus the JVM's own. {@link
 * io.labloop.orchestrator.metrics.LabMetrics} is fed by the daemon from the engine's events and
 * read by the API's {@code /metrics} route.
 */
@NullMarked
package io.labloop.orchestrator.metrics;

import org.jspecify.annotations.NullMarked;
