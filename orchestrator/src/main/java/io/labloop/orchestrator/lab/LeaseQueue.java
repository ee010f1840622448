package io.labloop.orchestrator.lab;

import io.labloop.orchestrator.threads.GuardedBy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The leases of one instrument: at most {@code capacity} held at once; waiters are served
 * round-robin across holders (campaigns), first come first served within a holder, so a campaign
 * that queues many steps cannot starve another that shares the instrument.
 *
 * <p>A configuration swap ({@link #whenIdle}) waits for the instrument to be idle: from the moment
 * it is asked for, no new lease is granted; it runs when the last held lease is released (at once
 * if none is held), and only then are the waiters served again, now under the new configuration. A
 * step therefore runs wholly under one configuration.
 *
 * <p>Futures are completed, and swaps run, outside the lock: the engine continues on its own
 * thread.
 */
final class LeaseQueue {

  private final String instrument;

  @GuardedBy("this")
  private int capacity;

  @GuardedBy("this")
  private int held;

  /** The swap waiting for the instrument to be idle, or null. */
  @GuardedBy("this")
  private Consumer<Boolean> pending;

  /** A swap is running now: nothing is granted until it is done. */
  @GuardedBy("this")
  private boolean swapping;

  /**
   * Waiters by holder, holders in turn order: the next grant goes to the first holder, which then
   * moves to the back.
   */
  @GuardedBy("this")
  private final Map<String, Deque<CompletableFuture<Lease>>> waiting = new LinkedHashMap<>();

  LeaseQueue(String instrument, int capacity) {
    if (capacity < 1) throw new IllegalArgumentException(instrument + ": capacity must be >= 1");
    this.instrument = instrument;
    this.capacity = capacity;
  }

  synchronized int capacity() {
    return capacity;
  }

  /**
   * Called by a swap (which runs while nothing is held) when the new configuration has another
   * capacity.
   */
  synchronized void capacity(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException(instrument + ": capacity must be >= 1");
    this.capacity = capacity;
  }

  synchronized int held() {
    return held;
  }

  CompletableFuture<Lease> acquire(String holder) {
    CompletableFuture<Lease> f = new CompletableFuture<>();
    Lease granted = null;
    synchronized (this) {
      if (held < capacity && waiting.isEmpty() && pending == null && !swapping) {
        held++;
        granted = new Held(holder);
      } else {
        waiting.computeIfAbsent(holder, h -> new ArrayDeque<>()).add(f);
      }
    }
    if (granted != null) f.complete(granted);
    return f;
  }

  /**
   * A lease only if the instrument is idle: nothing held, nobody waiting, no swap due. For work
   * that must never come between a campaign's steps (the health probe).
   */
  synchronized java.util.Optional<Lease> tryAcquireIdle(String holder) {
    if (held > 0 || !waiting.isEmpty() || pending != null || swapping)
      return java.util.Optional.empty();
    held++;
    return java.util.Optional.of(new Held(holder));
  }

  /**
   * Runs {@code swap} once no lease is held: now if the instrument is idle, otherwise on the thread
   * that releases the last lease. Leases asked for meanwhile wait for it.
   *
   * <p>{@code swap} is told whether it was deferred (true when it runs on a releasing thread).
   *
   * @return true if it ran now, false if it was deferred
   */
  boolean whenIdle(Consumer<Boolean> swap) {
    Consumer<Boolean> now;
    synchronized (this) {
      pending = pending == null ? swap : chain(pending, swap);
      if (held > 0 || swapping) return false;
      now = pending;
      pending = null;
      swapping = true;
    }
    runSwap(now, false);
    return true;
  }

  private static Consumer<Boolean> chain(Consumer<Boolean> first, Consumer<Boolean> then) {
    return deferred -> {
      first.accept(deferred);
      then.accept(deferred);
    };
  }

  private void runSwap(Consumer<Boolean> swap, boolean deferred) {
    try {
      swap.accept(deferred);
    } finally {
      synchronized (this) {
        swapping = false;
      }
      serve();
    }
  }

  private void released() {
    Consumer<Boolean> swap = null;
    synchronized (this) {
      held--;
      if (pending != null) {
        if (held > 0) return; // the swap waits for the other running steps
        swap = pending;
        pending = null;
        swapping = true;
      }
    }
    if (swap != null) runSwap(swap, true);
    else serve();
  }

  /** Grants free slots to waiters, round-robin across holders. */
  private void serve() {
    while (true) {
      CompletableFuture<Lease> next;
      Lease lease;
      synchronized (this) {
        if (held >= capacity || pending != null || swapping) return;
        next = null;
        lease = null;
        Iterator<Map.Entry<String, Deque<CompletableFuture<Lease>>>> it =
            waiting.entrySet().iterator();
        while (it.hasNext() && next == null) {
          Map.Entry<String, Deque<CompletableFuture<Lease>>> e = it.next();
          String holder = e.getKey();
          Deque<CompletableFuture<Lease>> queue = e.getValue();
          CompletableFuture<Lease> candidate;
          while ((candidate = queue.poll()) != null && candidate.isDone()) {
            // cancelled by a campaign that stopped waiting
          }
          it.remove();
          if (candidate != null) {
            next = candidate;
            lease = new Held(holder);
            if (!queue.isEmpty()) waiting.put(holder, queue); // back of the turn order
          }
        }
        if (next == null) return;
        held++;
      }
      if (!next.complete(lease)) {
        // cancelled between poll and complete: give the slot back and serve the next waiter
        synchronized (this) {
          held--;
        }
      }
    }
  }

  private final class Held implements Lease {
    private final String holder;
    private final AtomicBoolean released = new AtomicBoolean();

    Held(String holder) {
      this.holder = holder;
    }

    @Override
    public String instrument() {
      return instrument;
    }

    @Override
    public String holder() {
      return holder;
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) released();
    }
  }
}
