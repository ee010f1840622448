package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.threads.GuardedBy;
import io.labloop.orchestrator.threads.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that stands still until the test moves it, and the timers that go with it: a task
 * scheduled for "in 30 minutes" runs when the test calls {@link #advance} past that point, on the
 * test's thread, in the order of their due times. The engine hands a fired timer's work to its own
 * thread, so the test then waits for the effect as usual, without the real wait.
 */
final class FakeTime extends Clock implements Timers {
  private record Task(Instant due, long order, Runnable run) {}

  @GuardedBy("this")
  private Instant now = Instant.parse("2026-03-01T08:00:00Z");

  @GuardedBy("this")
  private long scheduled;

  @GuardedBy("this")
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) ->
              a.due().equals(b.due())
                  ? Long.compare(a.order(), b.order())
                  : a.due().compareTo(b.due()));

  @Override
  public synchronized Timer schedule(Duration delay, Runnable run) {
    Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), scheduled++, run);
    tasks.add(t);
    return () -> {
      synchronized (FakeTime.this) {
        tasks.remove(t);
      }
    };
  }

  /**
   * Moves the clock on by {@code d}, running every task that falls due on the way, each at its own
   * time.
   */
  void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due().isAfter(target)) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due();
      }
      next.run().run();
    }
  }

  /** When the next timer falls due; empty when none is set. */
  synchronized List<Instant> pending() {
    List<Instant> out = new ArrayList<>();
    tasks.forEach(t -> out.add(t.due()));
    out.sort(null);
    return out;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
