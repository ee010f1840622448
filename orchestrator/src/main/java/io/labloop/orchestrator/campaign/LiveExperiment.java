package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.lab.Lease;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.threads.Timers;
import io.labloop.planners.Point;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * One experiment of a running campaign as the engine holds it in memory: where it is in the
 * workflow, what its steps returned so far, and what it holds (a lease, a watchdog, a command in
 * flight). The store has the same facts as rows; this is the working copy the loop decides from.
 * Touched only on the engine thread, so nothing here is locked.
 */
final class LiveExperiment {
  final int seq;
  final Point requested;
  ExperimentStatus status = ExperimentStatus.PLANNED;

  /** The workflow step it runs or waits for next; the workflow's size once every step is done. */
  int stepIndex;

  /** A step of it was sent to an instrument: it counts against the budget. */
  boolean reached;

  /**
   * A step is under way (waiting for a lease, an interlock or a reply): do not advance it again.
   */
  boolean busy;

  String cause;

  /** Outputs of the steps done, by step id. */
  final Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();

  /** The last attempt journaled per step index. */
  final Map<Integer, Integer> attempts = new HashMap<>();

  CompletableFuture<Lease> waitingLease;
  Lease lease;
  Timers.Timer watchdog;

  /** The attempt whose command is in flight, 0 when none is. */
  int inFlight;

  /**
   * The attempt of a step the previous process had sent through an agent and not heard back from, 0
   * when none: it is asked again with the same journal key and attempt, and the agent answers from
   * its own journal (the reply it got, the command still running, or "interrupted"), so the
   * instrument never receives it twice.
   */
  int rejoin;

  Instant holdSince;
  String holdNote;
  OptionalInt retryOf = OptionalInt.empty();

  LiveExperiment(int seq, Point requested) {
    this.seq = seq;
    this.requested = requested;
  }

  /** Lets go of the instrument: stops waiting for a lease and gives back the one it holds. */
  void letGo() {
    if (waitingLease != null) waitingLease.cancel(false);
    releaseLease();
  }

  void releaseLease() {
    if (lease != null) {
      lease.release();
      lease = null;
    }
  }
}
