package io.labloop.orchestrator.lab;

import io.labloop.common.Errors;
import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.config.CommandConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The daemon's periodic instrument health check.
 *
 * <p>First the active probes: an instrument whose lab section names a {@code health:} command gets
 * that command, with no arguments, if it is idle. Idle means no step running on it and none waiting
 * for it: the probe takes a lease like a step, but only when nobody else wants one, so it never
 * comes between a campaign's steps, and a step that asks while the probe runs waits at most the
 * command's timeout. A reply clears any mark on the instrument (ONLINE again, as after any command
 * that succeeds); a failure or no reply marks it OFFLINE with the reason, which is kept as its last
 * error after recovery. A busy instrument is not probed this round: its running steps show its
 * health. Instruments without a health command are judged by their driver's connection status.
 *
 * <p>Then every instrument's state is compared with the one the previous check saw (ONLINE for an
 * instrument not seen before: a lab starts connected). A move between ONLINE and not ONLINE is a
 * {@link Change}, so the caller raises one event per outage and one per recovery, not one per
 * check.
 */
public final class HealthChecks {

  /** What a probe found. */
  public enum Outcome {
    OK,
    FAILED,
    BUSY
  }

  /** One probe sent (or skipped because the instrument was busy). */
  public record Probe(
      String instrument, String command, Outcome outcome, Duration took, String message) {}

  /** An instrument's state moved between ONLINE and not ONLINE since the last check. */
  public record Change(String instrument, InstrumentStatus.State from, InstrumentStatus now) {
    public boolean online() {
      return now.state() == InstrumentStatus.State.ONLINE;
    }
  }

  /** The result of one check. */
  public record Report(
      List<Probe> probes, List<Change> changes, Map<String, InstrumentStatus> statuses) {}

  private static final String HOLDER = "health-check";
  private final Map<String, InstrumentStatus.State> lastSeen = new ConcurrentHashMap<>();

  /**
   * Probes the idle instruments that have a health command, then reports what changed. Blocks while
   * probes run.
   */
  public synchronized Report check(Lab lab) {
    List<Probe> probes = new ArrayList<>();
    for (String name : List.copyOf(lab.config().instruments().keySet())) {
      lab.instrumentConfig(name)
          .healthCommand()
          .ifPresent(command -> probes.add(probe(lab, name, command)));
    }
    Map<String, InstrumentStatus> statuses = lab.statuses();
    List<Change> changes = new ArrayList<>();
    statuses.forEach(
        (name, status) -> {
          InstrumentStatus.State before = lastSeen.put(name, status.state());
          InstrumentStatus.State was = before == null ? InstrumentStatus.State.ONLINE : before;
          boolean wasOnline = was == InstrumentStatus.State.ONLINE;
          if (wasOnline != (status.state() == InstrumentStatus.State.ONLINE))
            changes.add(new Change(name, was, status));
        });
    lastSeen.keySet().retainAll(statuses.keySet());
    return new Report(probes, changes, statuses);
  }

  private static Probe probe(Lab lab, String name, String command) {
    Optional<Lease> lease = lab.leaseIfIdle(name, HOLDER);
    if (lease.isEmpty())
      return new Probe(name, command, Outcome.BUSY, Duration.ZERO, "busy; not probed this time");
    CommandConfig config = lab.instrumentConfig(name).commands().get(command);
    Duration timeout = config == null ? Duration.ofSeconds(30) : config.timeout();
    long t0 = System.nanoTime();
    try (Lease held = lease.get()) {
      // the driver enforces the timeout itself; the extra second lets its own error win the race
      lab.send(name, Command.of(command), HOLDER)
          .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      lab.clearError(name);
      return new Probe(name, command, Outcome.OK, Duration.ofNanos(System.nanoTime() - t0), "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(
          name, command, Outcome.FAILED, Duration.ofNanos(System.nanoTime() - t0), "interrupted");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      String why =
          e instanceof TimeoutException
              ? "no reply within " + timeout.toMillis() + " ms"
              : Lab.instrumentError(e)
                  .map(Throwable::getMessage)
                  .orElseGet(() -> Errors.rootMessage(e));
      String reason = "health probe " + name + "." + command + " failed: " + why;
      lab.markOffline(name, reason);
      return new Probe(
          name, command, Outcome.FAILED, Duration.ofNanos(System.nanoTime() - t0), reason);
    }
  }
}
