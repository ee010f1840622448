package io.labloop.orchestrator.daemon;

import io.labloop.common.Errors;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.RunClaim;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standby side of a daemon sharing a PostgreSQL store: every {@code every} it looks for runs
 * that are RUNNING in the store but that nobody drives, and takes them over.
 *
 * <p>"Nobody drives it" is decided by PostgreSQL, not by a heartbeat of our own: the driving
 * process holds the campaign's advisory lock ({@link RunOwnership}) on a session that ends when the
 * process dies, so {@link RunOwnership#tryClaim} succeeds exactly when the driver is gone (or
 * stopped gracefully and let go). After the claim the run is read again (it may have ended between
 * the listing and the claim); then the campaign is read from the text stored with the run (the
 * submitting daemon's folder may be on another PC), a {@code takeover} event goes into the run's
 * event log naming both daemons, and the engine starts on it: the engine's ordinary resume from the
 * journal does the rest (a step STARTED but not DONE is interrupted and the campaign's {@code
 * on-interrupt} applies; no non-idempotent command is sent again).
 *
 * <p>The same tick fences this daemon: if its lock session broke (the database restarted, the
 * network failed), PostgreSQL has dropped its locks and another daemon may already drive its runs,
 * so every engine here is paused at once (no new command is sent) and a person decides (restart the
 * daemon: it comes back as a standby).
 *
 * <p>A run that cannot be taken over (its campaign no longer fits this daemon's lab file) is let go
 * again and reported once, not at every tick.
 */
final class Takeover implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final Store store;
  private final RunOwnership ownership;
  private final String daemonName;
  private final RunningCampaigns running;
  private final CampaignFiles files;
  private final BiFunction<CampaignConfig, RunClaim, CampaignEngine> start;
  private final Consumer<EventRecord> published;
  private final Map<String, String> refused = new HashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "labloop-takeover");
            t.setDaemon(true);
            return t;
          });
  private boolean fenced;

  /**
   * @param start starts an engine on a campaign with its claim taken (serialised with the daemon's
   *     other starts)
   * @param published where the takeover event goes besides the store (the API's event stream)
   */
  Takeover(
      Store store,
      RunOwnership ownership,
      String daemonName,
      RunningCampaigns running,
      CampaignFiles files,
      BiFunction<CampaignConfig, RunClaim, CampaignEngine> start,
      Consumer<EventRecord> published) {
    this.store = store;
    this.ownership = ownership;
    this.daemonName = daemonName;
    this.running = running;
    this.files = files;
    this.start = start;
    this.published = published;
  }

  /** Looks at once, then every {@code every}. */
  void watch(Duration every) {
    timer.scheduleWithFixedDelay(this::tickSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "standby: daemon {} takes over runs nobody drives (checked every {} ms)",
        daemonName,
        every.toMillis());
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("standby: looking for runs to take over failed: {}", Errors.rootMessage(e));
    }
  }

  /** One look: fence if the lock session is gone, else take over every run nobody drives. */
  synchronized void tick() {
    if (!ownership.connected()) {
      if (!fenced) {
        fenced = true;
        log.error(
            "standby: daemon {} lost its run-lock session with the database; its runs may be"
                + " driven by another daemon now, so all {} are paused here. Restart this daemon"
                + " once the database is reachable.",
            daemonName,
            running.count());
        running.all().forEach(r -> r.engine().pause());
      }
      return;
    }
    if (fenced) return;
    for (RunRecord r : store.allRuns()) {
      if (r.status() != RunStatus.RUNNING || running.ofCampaign(r.campaign()).isPresent()) continue;
      Optional<RunClaim> claim = ownership.tryClaim(r.campaign());
      if (claim.isEmpty()) continue; // its driver is alive
      takeOver(r.campaign(), claim.get());
    }
  }

  private void takeOver(String campaign, RunClaim claim) {
    Optional<RunRecord> now = store.latestRun(campaign);
    if (now.isEmpty() || now.get().status() != RunStatus.RUNNING) {
      claim.close(); // it ended between the listing and the claim
      return;
    }
    RunRecord r = now.get();
    String before = store.drivers().getOrDefault(r.id(), "no recorded driver");
    CampaignConfig c;
    try {
      c = files.ofRun(r, "takeover");
    } catch (RuntimeException e) {
      claim.close();
      String why = Errors.rootMessage(e);
      if (!why.equals(refused.put(r.id(), why)))
        log.error("standby: cannot take over run {}: {}", r.id(), why);
      return;
    }
    EventRecord e =
        store.addEvent(
            r.id(),
            EventKind.TAKEOVER,
            Severity.WARNING,
            Optional.of(daemonName),
            Optional.empty(),
            OptionalInt.empty(),
            "daemon "
                + daemonName
                + " takes the run over from "
                + before
                + " (its run lock was free: that daemon stopped or lost its database connection);"
                + " resuming from the journal");
    published.accept(e);
    log.warn("standby: {}", e.message());
    try {
      CampaignEngine engine = start.apply(c, claim);
      refused.remove(r.id());
      log.info("standby: daemon {} now drives run {}", daemonName, engine.runId());
    } catch (RuntimeException ex) {
      log.error("standby: taking over run {} failed: {}", r.id(), Errors.rootMessage(ex), ex);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
