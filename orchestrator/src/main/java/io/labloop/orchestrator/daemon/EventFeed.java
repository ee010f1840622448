package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.CampaignService.Subscription;
import io.labloop.orchestrator.api.EventView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's live event stream: every engine's events, the audit trail, health changes,
 * calibrations and reloads, handed to the API's subscribers (the {@code /api/events} stream) in the
 * order they are published.
 *
 * <p>Any thread may publish; a subscriber is called on the publisher's thread and must not block. A
 * subscriber that throws is logged and skipped; the others still get the event.
 */
final class EventFeed {
  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
  private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();

  Subscription subscribe(Consumer<EventView> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void publish(EventView e) {
    for (Consumer<EventView> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        log.warn("event listener failed: {}", ex.toString());
      }
    }
  }
}
