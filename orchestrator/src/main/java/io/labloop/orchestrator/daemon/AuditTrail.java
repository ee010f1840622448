package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who did what: every change a person (or the scheduler) makes through the daemon is an audit
 * record, kept three ways. A change to a run is stored as one of its events (kind {@link
 * EventKind#AUDIT}, the actor in its own column), so the export and {@code GET
 * /api/campaigns/ID/events} show it with the run's own events; every change is logged ({@code
 * audit: WHO WHAT}) and published on the event stream. Changes that belong to no run (a planned
 * start cancelled, the emergency stop, a lab reload) are logged and published only.
 */
final class AuditTrail {
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final Store store;
  private final EventFeed feed;

  AuditTrail(Store store, EventFeed feed) {
    this.store = store;
    this.feed = feed;
  }

  /** A change to run {@code runId}, stored with its events. */
  void record(String runId, Actor who, String what) {
    EventRecord e =
        store.addEvent(
            runId,
            EventKind.AUDIT,
            Severity.INFO,
            Optional.of(who.name()),
            Optional.empty(),
            OptionalInt.empty(),
            who.name() + ": " + what);
    log.info("audit: {} {} ({})", who.name(), what, runId);
    feed.publish(ApiViews.event(e));
  }

  /**
   * A change that belongs to no run: logged only (an event of its own follows where one is due).
   */
  void logOnly(Actor who, String what) {
    log.info("audit: {} {}", who.name(), what);
  }

  /**
   * A change that belongs to no run and that a person must notice (the emergency stop): logged as a
   * warning.
   */
  void warn(Actor who, String what) {
    log.warn("audit: {} {}", who.name(), what);
  }

  /** A lab-wide event (a reload) for the event stream; it belongs to no campaign's store. */
  void announce(EventKind kind, Severity severity, Actor who, String message) {
    feed.publish(
        ApiViews.live(
            null,
            kind,
            severity,
            who == null ? null : who.name(),
            null,
            null,
            who == null ? message : who.name() + ": " + message));
  }
}
