/**
 * Time and threads that tests control.
 *
 * <p>{@link io.labloop.orchestrator.threads.Timers} is where the engine's timers (the watchdog,
 * interlock re-reads, the drain at shutdown) and the daemon's health probes are scheduled; in
 * production it is a {@link java.util.concurrent.ScheduledExecutorService}, in tests a fake that
 * runs them when the test moves its {@link java.time.Clock} on, so that a 30-minute watchdog is
 * tested in microseconds. Read the time from a {@link java.time.Clock} given to you, never {@code
 * System.currentTimeMillis()}, and schedule through {@code Timers}, never {@code Thread.sleep}, in
 * anything a test should drive.
 *
 * <p>{@link io.labloop.orchestrator.threads.GuardedBy} documents which thread or lock owns a field
 * or method (as Caffeine does); it is for the reader and is not checked by the build.
 */
@NullMarked
package io.labloop.orchestrator.threads;

import org.jspecify.annotations.NullMarked;
