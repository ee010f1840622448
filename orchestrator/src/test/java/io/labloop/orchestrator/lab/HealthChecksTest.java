package io.labloop.orchestrator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The active health probe: only on idle instruments, OFFLINE on failure, one change per outage and
 * recovery.
 */
class HealthChecksTest {

  /** An instrument whose answer to any command the test decides; it counts what it receives. */
  static final class Probed implements Instrument {
    final String name;
    final List<Command> received = new CopyOnWriteArrayList<>();
    volatile boolean answers = true;

    Probed(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletableFuture<Void> connect() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Reply> execute(Command command) {
      received.add(command);
      return answers
          ? CompletableFuture.completedFuture(
              new Reply(
                  command.name(), Map.of("model", "UV-1"), List.of(), Instant.now(), Duration.ZERO))
          : CompletableFuture.failedFuture(new IllegalStateException("ERR not ready"));
    }

    @Override
    public CompletableFuture<Object> read(String variable) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public InstrumentStatus status() {
      return InstrumentStatus.online(Instant.EPOCH, "");
    }

    @Override
    public void close() {}
  }

  private final Probed spectrometer = new Probed("spectrometer");
  private final Probed robot = new Probed("robot");
  private final HealthChecks checks = new HealthChecks();

  private Lab lab() {
    Map<String, InstrumentConfig> instruments = new LinkedHashMap<>();
    instruments.put(
        "spectrometer",
        new InstrumentConfig(
            "spectrometer",
            "fake",
            spec("spectrometer"),
            Map.of(
                "identify",
                new CommandConfig(
                    "identify", Duration.ofSeconds(2), true, List.of("model"), Map.of())),
            Map.of(),
            1,
            Optional.empty(),
            Optional.of("identify")));
    instruments.put(
        "robot",
        new InstrumentConfig(
            "robot",
            "fake",
            spec("robot"),
            Map.of(
                "stop",
                new CommandConfig("stop", Duration.ofSeconds(2), true, List.of(), Map.of())),
            Map.of(),
            1,
            Optional.empty()));
    return Lab.of(
        new LabConfig(Path.of("lab.yaml"), "lab", instruments, Optional.empty(), Map.of()),
        Map.of("spectrometer", spectrometer, "robot", robot));
  }

  private static InstrumentSpec spec(String name) {
    return new InstrumentSpec(name, "fake", Map.of(), Path.of("."));
  }

  @Test
  void theLastCommandSentIsKeptWithWhoSentItAndHowItEnded() {
    Lab lab = lab();
    assertTrue(lab.lastCommand("spectrometer").isEmpty());
    checks.check(lab);
    SentCommand probe = lab.lastCommand("spectrometer").orElseThrow();
    assertEquals("identify", probe.command());
    assertEquals("health-check", probe.by());
    assertEquals("OK", probe.outcome());
    assertTrue(probe.answeredAt() != null && probe.seconds() != null);

    robot.answers = false;
    lab.send("robot", new Command("stop", Map.of("now", true)), "abort silver/2");
    SentCommand stop = lab.lastCommand("robot").orElseThrow();
    assertEquals(
        List.of("stop", Map.of("now", true), "abort silver/2", "FAILED", "ERR not ready"),
        List.of(stop.command(), stop.arguments(), stop.by(), stop.outcome(), stop.message()));
  }

  @Test
  void aFailedProbeMarksTheInstrumentOfflineOnceAndARepliedOneBringsItBack() {
    Lab lab = lab();
    HealthChecks.Report first = checks.check(lab);
    assertEquals(
        List.of(HealthChecks.Outcome.OK),
        first.probes().stream().map(HealthChecks.Probe::outcome).toList());
    assertEquals(List.of("identify"), spectrometer.received.stream().map(Command::name).toList());
    assertTrue(robot.received.isEmpty(), "an instrument without health: gets no probe");
    assertTrue(first.changes().isEmpty());

    spectrometer.answers = false;
    HealthChecks.Report down = checks.check(lab);
    assertEquals(HealthChecks.Outcome.FAILED, down.probes().get(0).outcome());
    InstrumentStatus offline = lab.status("spectrometer");
    assertEquals(InstrumentStatus.State.OFFLINE, offline.state());
    assertEquals("health probe spectrometer.identify failed: ERR not ready", offline.reason());
    assertEquals(1, down.changes().size());
    assertEquals(InstrumentStatus.State.ONLINE, down.changes().get(0).from());
    assertTrue(
        checks.check(lab).changes().isEmpty(),
        "still down: one event per outage, not one per check");

    spectrometer.answers = true;
    HealthChecks.Report up = checks.check(lab);
    assertEquals(1, up.changes().size());
    assertTrue(up.changes().get(0).online());
    assertEquals(InstrumentStatus.State.ONLINE, lab.status("spectrometer").state());
    assertEquals(
        "health probe spectrometer.identify failed: ERR not ready",
        lab.status("spectrometer").lastError(),
        "the last error is kept after recovery");
  }

  @Test
  void anInstrumentInUseIsNotProbed() throws Exception {
    Lab lab = lab();
    Lease step = lab.lease("spectrometer", "campaign").get(1, TimeUnit.SECONDS);
    CompletableFuture<Lease> waiting = lab.lease("spectrometer", "campaign");
    HealthChecks.Report busy = checks.check(lab);
    assertEquals(HealthChecks.Outcome.BUSY, busy.probes().get(0).outcome());
    assertTrue(spectrometer.received.isEmpty(), "nothing comes between a campaign's steps");
    step.release();
    Lease next = waiting.get(1, TimeUnit.SECONDS);
    assertEquals(
        HealthChecks.Outcome.BUSY,
        checks.check(lab).probes().get(0).outcome(),
        "still in use by the next step");
    next.release();
    assertEquals(HealthChecks.Outcome.OK, checks.check(lab).probes().get(0).outcome());
    assertEquals(0, lab.busy("spectrometer"), "the probe gave its lease back");
  }
}
