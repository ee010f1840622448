package io.labloop.orchestrator.lab;

import io.labloop.orchestrator.threads.GuardedBy;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Map<String, Deque<Waiter>> waiting = new LinkedHashMap<>();

  /** The leases held now, in the order they were granted (for people watching the lab). */
  @GuardedBy("this")
  private final Set<Held> holding = new LinkedHashSet<>();

  private final Clock clock;

  /** A step waiting for the instrument, and what it wants it for. */
  private record Waiter(CompletableFuture<Lease> future, Holding.Purpose purpose) {}

  LeaseQueue(String instrument, int capacity) {
    this(instrument, capacity, Clock.systemUTC());
  }

  LeaseQueue(String instrument, int capacity, Clock clock) {
    if (capacity < 1) throw new IllegalArgumentException(instrument + ": capacity must be >= 1");
    this.instrument = instrument;
    this.capacity = capacity;
    this.clock = clock;
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

  /** Who holds the instrument now, oldest lease first. */
  synchronized List<Holding> holdings() {
    return holding.stream().map(Held::holding).toList();
  }

  CompletableFuture<Lease> acquire(String holder) {
    return acquire(holder, Holding.Purpose.NONE);
  }

  CompletableFuture<Lease> acquire(String holder, Holding.Purpose purpose) {
    CompletableFuture<Lease> f = new CompletableFuture<>();
    Lease granted = null;
    synchronized (this) {
      if (held < capacity && waiting.isEmpty() && pending == null && !swapping) {
        held++;
        granted = grant(holder, purpose);
      } else {
        waiting.computeIfAbsent(holder, h -> new ArrayDeque<>()).add(new Waiter(f, purpose));
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
    return java.util.Optional.of(grant(holder, Holding.Purpose.NONE));
  }

  @GuardedBy("this")
  private Held grant(String holder, Holding.Purpose purpose) {
    Held h =
        new Held(
            new Holding(
                holder, purpose.run(), purpose.experiment(), purpose.step(), clock.instant()));
    holding.add(h);
    return h;
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

  private void released(Held lease) {
    Consumer<Boolean> swap = null;
    synchronized (this) {
      held--;
      holding.remove(lease);
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
      Held lease;
      synchronized (this) {
        if (held >= capacity || pending != null || swapping) return;
        next = null;
        lease = null;
        Iterator<Map.Entry<String, Deque<Waiter>>> it = waiting.entrySet().iterator();
        while (it.hasNext() && next == null) {
          Map.Entry<String, Deque<Waiter>> e = it.next();
          String holder = e.getKey();
          Deque<Waiter> queue = e.getValue();
          Waiter candidate;
          while ((candidate = queue.poll()) != null && candidate.future().isDone()) {
            // cancelled by a campaign that stopped waiting
          }
          it.remove();
          if (candidate != null) {
            next = candidate.future();
            lease = grant(holder, candidate.purpose());
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
          holding.remove(lease);
        }
      }
    }
  }

  private final class Held implements Lease {
    private final Holding holding;
    private final AtomicBoolean released = new AtomicBoolean();

    Held(Holding holding) {
      this.holding = holding;
    }

    Holding holding() {
      return holding;
    }

    @Override
    public String instrument() {
      return instrument;
    }

    @Override
    public String holder() {
      return holding.holder();
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) released(this);
    }
  }
}
