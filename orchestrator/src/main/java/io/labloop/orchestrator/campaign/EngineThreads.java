package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.threads.Timers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The threads of one {@link CampaignEngine}, and who owns what on them.
 *
 * <ul>
 *   <li>The <b>engine thread</b> ({@code campaign-NAME}) owns all of the run's state: the
 *       experiments in memory, the observations, pause/stop/abort. Everything that changes it is
 *       handed to this thread ({@link #later}, {@link #ask}); so nothing there is locked, and every
 *       transition happens in one known order.
 *   <li>The <b>planner thread</b> ({@code planner-NAME}) runs one planner call at a time, so a slow
 *       fit never holds up replies; its answer comes back through {@link #later}.
 *   <li>The <b>call pool</b> ({@code instrument-call-NAME}) makes the driver calls: a driver that
 *       blocks must not stop the loop.
 *   <li><b>Timers</b> (the watchdog, interlock re-reads, the drain at shutdown) are {@link Timers}
 *       given by the builder, or the engine thread's own delay queue; when one fires, its work is
 *       handed to the engine thread too.
 * </ul>
 *
 * <p>All are daemon threads, and all stop with {@link #shutdown()}; after it, work handed in is
 * dropped ({@link #later} returns false, {@link #ask} fails with "the run has ended").
 */
final class EngineThreads {
  private final ScheduledThreadPoolExecutor loop;

  /** The planner runs here, off the engine thread, one call at a time. */
  final ExecutorService planner;

  /** Driver calls are made here, never on the engine thread. */
  final ExecutorService calls;

  private final Timers timers;

  /**
   * @param timers where timers are scheduled; null: on the engine thread's own delay queue (real
   *     time)
   */
  EngineThreads(String campaign, Timers timers) {
    this.loop = new ScheduledThreadPoolExecutor(1, r -> daemonThread(r, "campaign-" + campaign));
    this.loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.loop.setRemoveOnCancelPolicy(true);
    this.planner = Executors.newSingleThreadExecutor(r -> daemonThread(r, "planner-" + campaign));
    this.calls = Executors.newCachedThreadPool(r -> daemonThread(r, "instrument-call-" + campaign));
    this.timers = timers != null ? timers : Timers.on(loop);
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Runs {@code action} on the engine thread and waits for it; its exception is thrown here. */
  void runAndWait(Runnable action) throws InterruptedException, ExecutionException {
    loop.submit(action).get();
  }

  /**
   * Runs {@code action} on the engine thread; false if the engine has stopped and will not run it.
   */
  boolean later(Runnable action) {
    try {
      loop.execute(action);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Runs {@code action} on the engine thread after {@code delay}; {@link Timers.Timer#NONE} if the
   * engine has stopped.
   */
  Timers.Timer after(Duration delay, Runnable action) {
    if (loop.isShutdown()) return Timers.Timer.NONE;
    return timers.schedule(delay, () -> later(action));
  }

  /**
   * Computes {@code action} on the engine thread for a caller on another thread. An {@link
   * IllegalStateException} is a refused request (the caller's future fails with it); any other
   * exception also goes to {@code fatal}, which ends the session.
   */
  <T> CompletableFuture<T> ask(Supplier<T> action, Consumer<RuntimeException> fatal) {
    CompletableFuture<T> f = new CompletableFuture<>();
    boolean queued =
        later(
            () -> {
              try {
                f.complete(action.get());
              } catch (IllegalStateException e) {
                f.completeExceptionally(e);
              } catch (RuntimeException e) {
                f.completeExceptionally(e);
                fatal.accept(e);
              }
            });
    if (!queued) f.completeExceptionally(new IllegalStateException("the run has ended"));
    return f;
  }

  /** As {@link #ask}, for an action that answers nothing but that it ran. */
  CompletableFuture<Void> run(Runnable action, Consumer<RuntimeException> fatal) {
    return ask(
        () -> {
          action.run();
          return null;
        },
        fatal);
  }

  /** Stops every thread: the engine thread after the task in hand, the planner at once. */
  void shutdown() {
    loop.shutdown();
    planner.shutdownNow();
    calls.shutdown();
  }
}
