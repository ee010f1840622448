package io.labloop.orchestrator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Hot reload of a shared lab: swaps wait for the instrument to be idle, nothing else moves. */
class LabReloadTest {

  /** An instrument that only remembers whether it was closed. */
  static final class FakeInstrument implements Instrument {
    final String name;
    final CompletableFuture<Void> connected;
    volatile boolean closed;

    FakeInstrument(String name, CompletableFuture<Void> connected) {
      this.name = name;
      this.connected = connected;
    }

    FakeInstrument(String name) {
      this(name, CompletableFuture.completedFuture(null));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<Void> connect() {
      return connected;
    }

    @Override
    public CompletableFuture<Reply> execute(Command command) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("not used here"));
    }

    @Override
    public CompletableFuture<Object> read(String variable) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public InstrumentStatus status() {
      return InstrumentStatus.online(Instant.EPOCH, null);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static InstrumentConfig instrument(
      String name, String address, Duration timeout, int capacity) {
    return new InstrumentConfig(
        name,
        "fake",
        new InstrumentSpec(name, "fake", Map.of("address", address), Path.of(".")),
        Map.of("run", new CommandConfig("run", timeout, true, List.of(), Map.of())),
        Map.of(),
        capacity,
        Optional.empty());
  }

  private static LabConfig lab(InstrumentConfig... instruments) {
    Map<String, InstrumentConfig> byName = new LinkedHashMap<>();
    for (InstrumentConfig i : instruments) byName.put(i.name(), i);
    return new LabConfig(Path.of("lab.yaml"), "lab", byName, Optional.empty(), Map.of());
  }

  private final List<FakeInstrument> built = new ArrayList<>();
  private final List<String> appliedLater = new CopyOnWriteArrayList<>();

  private Instrument build(InstrumentSpec spec) {
    FakeInstrument f = new FakeInstrument(spec.name());
    built.add(f);
    return f;
  }

  @Test
  void anIdleInstrumentTakesTheNewSettingsAtOnceAndItsOldObjectIsClosed() {
    FakeInstrument robot = new FakeInstrument("robot");
    FakeInstrument spec = new FakeInstrument("spectrometer");
    Lab lab =
        Lab.of(
            lab(
                instrument("robot", "a", Duration.ofSeconds(10), 1),
                instrument("spectrometer", "s", Duration.ofSeconds(30), 1)),
            Map.of("robot", robot, "spectrometer", spec));

    Lab.Reload r =
        lab.reload(
            lab(
                instrument("robot", "b", Duration.ofSeconds(5), 1),
                instrument("spectrometer", "s", Duration.ofSeconds(30), 1)),
            this::build,
            Duration.ofSeconds(5),
            appliedLater::add);

    assertEquals(List.of("robot"), r.appliedNow());
    assertEquals(List.of(), r.deferred());
    assertEquals(1, built.size(), "only the instrument whose connection changed is rebuilt");
    assertSame(built.get(0), lab.instrument("robot"));
    assertTrue(robot.closed, "the replaced object is closed");
    assertEquals(
        Duration.ofSeconds(5), lab.instrumentConfig("robot").commands().get("run").timeout());
    assertSame(spec, lab.instrument("spectrometer"), "unchanged instruments are untouched");
    assertFalse(spec.closed);
    assertEquals(List.of(), appliedLater, "nothing was deferred");
  }

  @Test
  void aBusyInstrumentTakesTheChangeWhenItsLastLeaseIsReleasedAndNoStepStartsMeanwhile() {
    FakeInstrument robot = new FakeInstrument("robot");
    Lab lab =
        Lab.of(lab(instrument("robot", "a", Duration.ofSeconds(10), 2)), Map.of("robot", robot));
    Lease first = lab.lease("robot", "campaign-a").join();
    Lease second = lab.lease("robot", "campaign-b").join();

    Lab.Reload r =
        lab.reload(
            lab(instrument("robot", "b", Duration.ofSeconds(1), 1)),
            this::build,
            Duration.ofSeconds(5),
            appliedLater::add);

    assertEquals(List.of("robot"), r.deferred());
    assertSame(
        robot, lab.instrument("robot"), "the running steps keep the object they started with");
    assertEquals(
        Duration.ofSeconds(10), lab.instrumentConfig("robot").commands().get("run").timeout());
    assertFalse(robot.closed);
    CompletableFuture<Lease> waiting = lab.lease("robot", "campaign-a");
    assertFalse(waiting.isDone(), "a step asked for after the reload waits for the swap");

    first.release();
    assertFalse(waiting.isDone(), "one step still runs under the old settings");
    assertSame(robot, lab.instrument("robot"));

    second.release();
    assertTrue(robot.closed, "the old object is closed after the swap");
    FakeInstrument fresh = built.get(0);
    assertSame(fresh, lab.instrument("robot"));
    assertEquals(
        Duration.ofSeconds(1), lab.instrumentConfig("robot").commands().get("run").timeout());
    assertEquals(1, lab.capacity("robot"), "the new capacity holds");
    assertEquals(List.of("robot"), appliedLater);
    assertTrue(waiting.isDone(), "the waiting step runs under the new settings");
    assertEquals(1, lab.busy("robot"));
    assertFalse(lab.lease("robot", "campaign-b").isDone(), "capacity 1 now");
  }

  @Test
  void addedInstrumentsComeOnlineAndRemovedOnesGoWhenIdle() {
    FakeInstrument robot = new FakeInstrument("robot");
    FakeInstrument old = new FakeInstrument("oven");
    Lab lab =
        Lab.of(
            lab(
                instrument("robot", "a", Duration.ofSeconds(10), 1),
                instrument("oven", "o", Duration.ofSeconds(10), 1)),
            Map.of("robot", robot, "oven", old));
    Lease oven = lab.lease("oven", "maintenance").join();

    Lab.Reload r =
        lab.reload(
            lab(
                instrument("robot", "a", Duration.ofSeconds(10), 1),
                instrument("pump", "p", Duration.ofSeconds(10), 1)),
            this::build,
            Duration.ofSeconds(5),
            appliedLater::add);

    assertEquals(List.of("pump"), r.appliedNow());
    assertEquals(List.of("oven"), r.deferred());
    assertSame(built.get(0), lab.instrument("pump"));
    assertEquals(
        java.util.Set.of("robot", "oven", "pump"),
        lab.statuses().keySet(),
        "the oven stays until its step ends");
    oven.release();
    assertTrue(old.closed);
    assertEquals(List.of("robot", "pump"), List.copyOf(lab.config().instruments().keySet()));
    assertThrows(IllegalArgumentException.class, () -> lab.instrument("oven"));
    assertEquals(List.of("oven"), appliedLater);
  }

  @Test
  void aNewObjectThatDoesNotConnectLeavesEverythingAsItWas() {
    FakeInstrument robot = new FakeInstrument("robot");
    Lab lab =
        Lab.of(lab(instrument("robot", "a", Duration.ofSeconds(10), 1)), Map.of("robot", robot));
    FakeInstrument unreachable =
        new FakeInstrument(
            "robot", CompletableFuture.failedFuture(new IllegalStateException("no route to b")));

    LabUnavailable e =
        assertThrows(
            LabUnavailable.class,
            () ->
                lab.reload(
                    lab(instrument("robot", "b", Duration.ofSeconds(1), 1)),
                    spec -> unreachable,
                    Duration.ofSeconds(5),
                    appliedLater::add));

    assertTrue(e.getMessage().contains("robot: no route to b"), e.getMessage());
    assertTrue(unreachable.closed);
    assertFalse(robot.closed);
    assertSame(robot, lab.instrument("robot"));
    assertEquals(
        Duration.ofSeconds(10), lab.instrumentConfig("robot").commands().get("run").timeout());
  }
}
