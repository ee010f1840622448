package io.labloop.simulators.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  private static List<Optional<Fault>> draws(FaultPlan plan, int n) {
    List<Optional<Fault>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(plan.draw());
    }
    return out;
  }

  @Test
  void queuedFaultsComeFirstInOrder() {
    FaultPlan plan = new FaultPlan(Map.of(), 1).next(Fault.TIMEOUT, Fault.GARBAGE);
    assertEquals(
        List.of(Optional.of(Fault.TIMEOUT), Optional.of(Fault.GARBAGE), Optional.empty()),
        draws(plan, 3));
  }

  @Test
  void ratesAreSeededAndRoughlyHonoured() {
    Map<Fault, Double> rates = Map.of(Fault.TIMEOUT, 0.2, Fault.REFUSE, 0.1);
    List<Optional<Fault>> a = draws(new FaultPlan(rates, 42), 2000);
    assertEquals(
        a, draws(new FaultPlan(rates, 42), 2000), "same seed, same faults at the same commands");
    long timeouts = a.stream().filter(f -> f.equals(Optional.of(Fault.TIMEOUT))).count();
    long refusals = a.stream().filter(f -> f.equals(Optional.of(Fault.REFUSE))).count();
    assertTrue(timeouts > 330 && timeouts < 470, "about 20% of 2000, got " + timeouts);
    assertTrue(refusals > 140 && refusals < 260, "about 10% of 2000, got " + refusals);
  }

  @Test
  void clearStopsEveryFaultAndRatesMustBeProbabilities() {
    FaultPlan plan = new FaultPlan(Map.of(Fault.DISCONNECT, 1.0), 3).next(Fault.RESTART);
    plan.clear();
    assertEquals(Optional.empty(), plan.draw());
    assertThrows(IllegalArgumentException.class, () -> plan.rate(Fault.GARBAGE, 1.5));
  }
}
