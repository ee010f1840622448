package io.labloop.orchestrator.threads;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. The one way the engine and the health checks wait, so a test can
 * replace real time by a fake clock that it moves on by hand.
 *
 * <p>Contract: the task runs at most once, on a thread of the implementation's choosing (the caller
 * hands it on to its own thread if it has one), not before {@code delay} has passed on the clock
 * that goes with these timers; {@link Timer#cancel()} before it ran means it never runs. A task
 * that cannot be scheduled any more (the executor was shut down) is dropped and {@link #schedule}
 * returns a timer that does nothing.
 */
@FunctionalInterface
public interface Timers {

  /**
   * Schedules {@code task} to run once after {@code delay} (zero or negative: as soon as possible).
   */
  Timer schedule(Duration delay, Runnable task);

  /** A scheduled task that may still be cancelled. */
  @FunctionalInterface
  interface Timer {
    /** The task will not run if it has not started yet; does nothing after it ran. */
    void cancel();

    /** A timer for a task that was never scheduled. */
    Timer NONE = () -> {};
  }

  /** Real time: the executor's own delay queue (tasks run on its threads). */
  static Timers on(ScheduledExecutorService executor) {
    return (delay, task) -> {
      try {
        ScheduledFuture<?> f =
            executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      } catch (RejectedExecutionException e) {
        return Timer.NONE;
      }
    };
  }
}
