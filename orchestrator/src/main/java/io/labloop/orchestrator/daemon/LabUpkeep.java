package io.labloop.orchestrator.daemon;

import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.lab.HealthChecks;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.HealthProbeRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's upkeep between experiments, as the scheduler starts it: the periodic health check and
 * calibrations. Both run on the scheduler's thread; every health probe is kept in the store (30
 * days), so its history outlives a restart; a calibration waits for its instrument like any step (a
 * fair lease), so it never interrupts an experiment.
 */
final class LabUpkeep {
  private static final Logger log = LoggerFactory.getLogger(LabUpkeep.class);

  private final Supplier<Lab> lab;
  private final LabMetrics metrics;
  private final EventFeed feed;
  private final HealthChecks health = new HealthChecks();
  private final Duration leaseTimeout;
  private final Store store;
  private final LabEventsInRuns inRuns;

  /** How long the store keeps an instrument's health probes. */
  static final Duration PROBES_KEPT = Duration.ofDays(30);

  /**
   * @param leaseTimeout how long a calibration waits for its instrument
   * @param store where each probe is kept (the console's health-probe history)
   */
  LabUpkeep(
      Supplier<Lab> lab,
      LabMetrics metrics,
      EventFeed feed,
      Duration leaseTimeout,
      Store store,
      LabEventsInRuns inRuns) {
    this.inRuns = inRuns;
    this.lab = lab;
    this.metrics = metrics;
    this.feed = feed;
    this.leaseTimeout = leaseTimeout;
    this.store = store;
  }

  /**
   * The periodic health check (see {@link HealthChecks}): probes idle instruments that have a
   * {@code health:} command, records the probes in the metrics, raises an event when an instrument
   * goes OFFLINE or ERROR and when it is ONLINE again, and, as before, a warning for every
   * instrument that is not ONLINE.
   */
  void checkHealth() {
    Lab l = lab.get();
    HealthChecks.Report report = health.check(l);
    for (HealthChecks.Probe p : report.probes()) {
      metrics.healthProbe(p.instrument(), p.outcome().name().toLowerCase(Locale.ROOT), p.took());
      if (p.outcome() == HealthChecks.Outcome.FAILED) log.debug("{}", p.message());
      try {
        store.recordProbe(
            new HealthProbeRecord(
                Instant.now(),
                p.instrument(),
                p.command(),
                p.outcome().name(),
                p.took().toMillis(),
                p.message()),
            PROBES_KEPT);
      } catch (StoreException e) {
        // the probe's outcome is in the metrics and the instrument's state; only its history misses
        // it
        log.warn("health: probe of {} not kept: {}", p.instrument(), e.getMessage());
      }
    }
    for (HealthChecks.Change c : report.changes()) {
      InstrumentStatus now = c.now();
      metrics.instrumentStateChanged(
          c.instrument(), now.state().name(), now.reasonKind().map(Enum::name).orElse("none"));
      String message =
          c.online()
              ? c.instrument() + " is ONLINE again (was " + c.from() + ")"
              : c.instrument()
                  + " went "
                  + now.state()
                  + (now.reason().isEmpty() ? "" : ": " + now.reason());
      if (c.online()) log.info("health: {}", message);
      else log.warn("health: {}", message);
      EventKind kind = c.online() ? EventKind.INSTRUMENT_ONLINE : EventKind.INSTRUMENT_OFFLINE;
      Severity severity =
          c.online()
              ? Severity.INFO
              : agentDown(l, c.instrument()) ? Severity.WARNING : Severity.ALERT;
      feed.publish(ApiViews.live(null, kind, severity, null, c.instrument(), null, message));
      inRuns.keep(List.of(c.instrument()), kind, severity, Optional.of(c.instrument()), message);
    }
    report
        .statuses()
        .forEach(
            (name, st) -> {
              if (st.state() != InstrumentStatus.State.ONLINE) {
                feed.publish(
                    ApiViews.live(
                        null,
                        EventKind.HEALTH,
                        Severity.WARNING,
                        null,
                        name,
                        null,
                        name
                            + " is "
                            + st.state()
                            + (st.reason().isEmpty() ? "" : ": " + st.reason())));
              }
            });
  }

  /**
   * The instrument is offline because the agent it hangs on is: the agent's own alert ({@link
   * io.labloop.orchestrator.agent.AgentAlerts}) is the one for all its instruments, so theirs are
   * warnings.
   */
  private static boolean agentDown(Lab l, String instrument) {
    return l.agents()
        .flatMap(
            link -> InstrumentAgent.agentOf(l.instrumentConfig(instrument)).flatMap(link::agent))
        .map(a -> !a.online())
        .orElse(false);
  }

  /**
   * Runs {@code instrument.command} once it holds the instrument; the outcome goes to the metrics
   * and the event stream.
   */
  void calibrate(String instrument, String command) {
    Lab l = lab.get();
    var lease = l.lease(instrument, "calibration");
    try (var held = lease.get(leaseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.debug("calibration {}.{} holds {}", instrument, command, held.instrument());
      long t0 = System.nanoTime();
      l.send(instrument, new Command(command, Map.of()), "calibration")
          .get(
              l.instrumentConfig(instrument).commands().get(command).timeout().toMillis(),
              TimeUnit.MILLISECONDS);
      metrics.stepFinished(instrument, command, Duration.ofNanos(System.nanoTime() - t0), "done");
      feed.publish(
          ApiViews.live(
              null,
              EventKind.CALIBRATION,
              Severity.INFO,
              null,
              instrument,
              null,
              instrument + "." + command + " done"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      lease.cancel(false);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      metrics.instrumentError(
          instrument,
          Lab.instrumentError(cause).map(x -> x.getClass().getSimpleName()).orElse("other"));
      feed.publish(
          ApiViews.live(
              null,
              EventKind.CALIBRATION,
              Severity.ALERT,
              null,
              instrument,
              null,
              instrument + "." + command + " failed: " + cause.getMessage()));
    }
  }
}
