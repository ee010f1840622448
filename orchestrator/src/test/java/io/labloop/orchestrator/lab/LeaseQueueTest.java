package io.labloop.orchestrator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LeaseQueueTest {

  @Test
  void neverMoreHoldersThanCapacity() {
    LeaseQueue q = new LeaseQueue("robot", 2);
    CompletableFuture<Lease> a = q.acquire("c1");
    CompletableFuture<Lease> b = q.acquire("c1");
    CompletableFuture<Lease> c = q.acquire("c1");
    assertTrue(a.isDone() && b.isDone());
    assertFalse(c.isDone());
    a.join().release();
    a.join().release(); // a second release is ignored
    assertTrue(c.isDone());
    assertEquals(2, q.held());
  }

  @Test
  void campaignsSharingAnInstrumentTakeTurns() {
    LeaseQueue q = new LeaseQueue("spectrometer", 1);
    Lease first = q.acquire("busy").join();
    List<CompletableFuture<Lease>> waiting = new ArrayList<>();
    for (int i = 0; i < 4; i++) waiting.add(q.acquire("busy")); // a campaign that queues a lot
    CompletableFuture<Lease> other = q.acquire("quiet"); // arrives last
    first.release();
    waiting.get(0).join().release();
    // after one grant to "busy", the next goes to "quiet" although "busy" asked earlier
    assertTrue(other.isDone());
    assertEquals("quiet", other.join().holder());
    assertFalse(waiting.get(1).isDone());
  }

  @Test
  void theHoldersShowWhichRunExperimentAndStepHoldTheInstrumentUntilTheyRelease() {
    LeaseQueue q = new LeaseQueue("robot", 1);
    Lease first = q.acquire("silver", new Holding.Purpose("silver/2", 17, "synthesize")).join();
    CompletableFuture<Lease> next =
        q.acquire("gold", new Holding.Purpose("gold/1", 3, "synthesize"));
    assertEquals(1, q.holdings().size());
    Holding h = q.holdings().get(0);
    assertEquals(
        List.of("silver", "silver/2", 17, "synthesize"),
        List.of(h.holder(), h.run(), h.experiment(), h.step()));
    first.release();
    assertEquals("gold/1", q.holdings().get(0).run(), "the waiter's purpose goes with its grant");
    assertEquals(3, q.holdings().get(0).experiment());
    next.join().release();
    assertTrue(q.holdings().isEmpty());
    Lease probe = q.tryAcquireIdle("health-check").orElseThrow();
    assertEquals("health-check", q.holdings().get(0).holder());
    assertEquals(null, q.holdings().get(0).run());
    probe.release();
    assertTrue(q.holdings().isEmpty());
  }

  @Test
  void aCancelledWaiterIsSkipped() {
    LeaseQueue q = new LeaseQueue("xrd", 1);
    Lease first = q.acquire("a").join();
    CompletableFuture<Lease> gaveUp = q.acquire("a");
    CompletableFuture<Lease> next = q.acquire("b");
    gaveUp.cancel(false);
    first.release();
    assertTrue(next.isDone());
    assertEquals(1, q.held());
  }
}
