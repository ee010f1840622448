package io.labloop.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the engine's events out to every connected {@code GET /api/events} client.
 *
 * <p>Threads: everything written to the clients (greeting, events, pings) is written by one sender
 * thread, so no two writes to one client ever overlap. Events are handed to that thread, so an
 * engine thread that reports an event never waits for a slow or stalled browser. A comment line
 * every 15 s keeps proxies from closing an idle stream and lets Jetty notice clients that went
 * away.
 */
final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);

  private record Listener(SseClient client, String campaignFilter) {}

  private final ObjectMapper json;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(r -> daemonThread(r, "labloop-sse"));
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "labloop-sse-heartbeat"));
  private final CampaignService.Subscription subscription;

  EventStream(CampaignService service, ObjectMapper json) {
    this.json = json;
    this.subscription = service.subscribe(e -> sender.execute(() -> send(e)));
    heartbeat.scheduleAtFixedRate(() -> sender.execute(this::ping), 15, 15, TimeUnit.SECONDS);
  }

  /** Called by the SSE route: keeps the connection open until the client leaves. */
  void join(SseClient client) {
    Listener l = new Listener(client, client.ctx().queryParam("campaign"));
    listeners.add(l);
    client.onClose(() -> listeners.remove(l));
    // Every write to a client happens on the sender thread: Jetty's output refuses a write while
    // another thread's write is blocked (IllegalStateException "api=BLOCKED", seen when the
    // greeting met an event under 20 open consoles).
    sender.execute(
        () -> {
          try {
            client.sendComment("labloop events");
          } catch (RuntimeException ex) {
            listeners.remove(l);
          }
        });
    client.keepAlive();
  }

  int listeners() {
    return listeners.size();
  }

  private void send(EventView e) {
    String data;
    try {
      data = json.writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      log.warn("event {} could not be serialised: {}", e.kind(), ex.getMessage());
      return;
    }
    for (Listener l : listeners) {
      if (l.campaignFilter() != null && !l.campaignFilter().equals(e.campaignId())) continue;
      try {
        l.client().sendEvent(e.kind(), data, Long.toString(e.ordinal()));
      } catch (RuntimeException ex) {
        listeners.remove(l);
      }
      if (l.client().terminated()) listeners.remove(l);
    }
  }

  private void ping() {
    for (Listener l : listeners) {
      try {
        l.client().sendComment("ping");
      } catch (RuntimeException ex) {
        listeners.remove(l);
      }
      if (l.client().terminated()) listeners.remove(l);
    }
  }

  @Override
  public void close() {
    subscription.close();
    heartbeat.shutdownNow();
    sender.shutdownNow();
    for (Listener l : listeners) l.client().close();
    listeners.clear();
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
