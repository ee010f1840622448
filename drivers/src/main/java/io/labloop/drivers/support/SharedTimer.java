package io.labloop.drivers.support;

import io.labloop.common.Threads;
import io.labloop.drivers.Bridges;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * One scheduler for timeouts and retry back-off, shared by every instrument through {@link Bridges}
 * (acquire {@link #KEY}), so a lab with twenty instruments has one timer thread rather than twenty;
 * it stops when the last instrument closes.
 */
public final class SharedTimer implements AutoCloseable {

  public static final String KEY = "labloop-driver-timer";

  private final ScheduledExecutorService scheduler;

  public SharedTimer() {
    ThreadFactory threads = Threads.numbered("driver-timer");
    var pool = new java.util.concurrent.ScheduledThreadPoolExecutor(1, threads);
    // Almost every timeout is cancelled (the reply came); drop those at once instead of keeping
    // thousands of 30-minute tasks queued until they would have fired.
    pool.setRemoveOnCancelPolicy(true);
    scheduler = pool;
  }

  public static SharedTimer acquire(Bridges bridges) {
    return bridges.acquire(KEY, SharedTimer.class, SharedTimer::new);
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
