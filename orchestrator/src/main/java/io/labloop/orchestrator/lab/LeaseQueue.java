package io.labloop.orchestrator.lab;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The leases of one instrument: at most {@code capacity} held at once; waiters are served
 * round-robin across holders (campaigns), first come first served within a holder, so a
 * campaign that queues many steps cannot starve another that shares the instrument.
 *
 * <p>Futures are completed outside the lock: the engine continues on its own thread.
 */
final class LeaseQueue {

  private final String instrument;
  private final int capacity;
  private int held;
  /** Waiters by holder, holders in turn order: the next grant goes to the first holder, which then moves to the back. */
  private final Map<String, Deque<CompletableFuture<Lease>>> waiting = new LinkedHashMap<>();

  LeaseQueue(String instrument, int capacity) {
    if (capacity < 1) throw new IllegalArgumentException(instrument + ": capacity must be >= 1");
    this.instrument = instrument;
    this.capacity = capacity;
  }

  int capacity() {
    return capacity;
  }

  synchronized int held() {
    return held;
  }

  CompletableFuture<Lease> acquire(String holder) {
    CompletableFuture<Lease> f = new CompletableFuture<>();
    Lease granted = null;
    synchronized (this) {
      if (held < capacity && waiting.isEmpty()) {
        held++;
        granted = new Held(holder);
      } else {
        waiting.computeIfAbsent(holder, h -> new ArrayDeque<>()).add(f);
      }
    }
    if (granted != null) f.complete(granted);
    return f;
  }

  private void released() {
    while (true) {
      CompletableFuture<Lease> next;
      Lease lease;
      synchronized (this) {
        held--;
        next = null;
        lease = null;
        Iterator<Map.Entry<String, Deque<CompletableFuture<Lease>>>> it = waiting.entrySet().iterator();
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
      if (next.complete(lease)) return;
      // cancelled between poll and complete: give the slot back and serve the next waiter
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
