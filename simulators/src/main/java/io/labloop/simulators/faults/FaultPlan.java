package io.labloop.simulators.faults;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Decides, for each command one instrument receives, whether a fault happens and which.
 *
 * <p>Faults queued with {@link #next} come first, one per command, in order (so a test can inject a
 * fault at a chosen step); otherwise each fault happens with its rate, drawn from a random
 * generator seeded by the lab's seed and the instrument's name, so the same seed gives the same
 * faults at the same commands.
 */
public final class FaultPlan {

  private final Deque<Fault> queued = new ArrayDeque<>();
  private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
  private final Random random;

  public FaultPlan(Map<Fault, Double> rates, long seed) {
    this.rates.putAll(rates);
    this.random = new Random(seed);
  }

  /** Makes the next commands (one per fault given) meet these faults, in order. */
  public synchronized FaultPlan next(Fault... faults) {
    for (Fault f : faults) {
      queued.addLast(f);
    }
    return this;
  }

  /** Sets the probability (0..1) that a command meets this fault. */
  public synchronized FaultPlan rate(Fault fault, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "a fault rate is a probability between 0 and 1, got " + rate);
    }
    rates.put(fault, rate);
    return this;
  }

  /** Removes every queued fault and every rate: the instrument behaves from now on. */
  public synchronized FaultPlan clear() {
    queued.clear();
    rates.clear();
    return this;
  }

  /** How many queued faults are still to come. */
  public synchronized int pending() {
    return queued.size();
  }

  /** The fault the command being handled now meets, if any. */
  public synchronized Optional<Fault> draw() {
    if (!queued.isEmpty()) {
      return Optional.of(queued.removeFirst());
    }
    // One draw per command whatever the rates, so the sequence of faults depends only on the seed
    // and the number of commands, not on which rates happen to be zero.
    double u = random.nextDouble();
    double cumulative = 0;
    for (Fault f : Fault.values()) {
      cumulative += rates.getOrDefault(f, 0.0);
      if (u < cumulative) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
