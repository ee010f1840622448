package io.labloop.orchestrator.agent;

import io.labloop.common.Threads;
import io.labloop.drivers.InstrumentError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's one connection to the broker its agents are on: requests to agents, and what each
 * agent is doing.
 *
 * <p>Agents: the retained {@code status} topics tell which agents exist and whether they are online
 * (an agent's Last Will turns its status offline when it vanishes); every second the link checks
 * the heartbeats, and an agent silent for three of its intervals is taken for offline. Each change
 * online → offline is told once to the listeners (an alert), and back.
 *
 * <p>Requests: each gets fresh correlation data and waits in {@code pending}. A request whose agent
 * goes offline stays pending: when the agent comes back (a new session), the link sends it again,
 * unchanged; the agent's journal answers a key it has seen (its reply, or "interrupted" if it was
 * cut short), so the instrument never gets a non-idempotent command twice. A request that reaches
 * its deadline fails as a timeout, or as interrupted if its agent went offline meanwhile (maybe
 * sent, so the campaign's {@code on-interrupt} decides).
 */
public final class AgentLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentLink.class);

  /** Told when an agent goes offline or comes back; called once per change. */
  public interface Listener {
    void offline(AgentState agent);

    void online(AgentState agent);
  }

  private final BrokerSettings settings;
  private final String clientId = "labloop-daemon-" + UUID.randomUUID().toString().substring(0, 8);
  private final BrokerClient client;
  private final Map<String, Known> agents = new ConcurrentHashMap<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService watch =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("agent-watch"));

  /** Mutable per-agent record, guarded by itself. */
  private static final class Known {
    final String name;
    boolean statusOnline;
    boolean silent;
    String reason = "no status yet";
    String session = "";
    Instant since = Instant.now();
    Instant lastHeartbeat;
    long heartbeatMillis = BrokerSettings.DEFAULT_HEARTBEAT.toMillis();
    List<String> instruments = List.of();
    Map<String, Map<String, Object>> instrumentStatus = Map.of();

    /** What the listeners were last told: null before the first status. */
    Boolean toldOffline;

    Known(String name) {
      this.name = name;
    }

    boolean online() {
      return statusOnline && !silent;
    }

    AgentState view() {
      return new AgentState(
          name,
          online(),
          online() ? "" : reason,
          session,
          since,
          Optional.ofNullable(lastHeartbeat),
          Duration.ofMillis(heartbeatMillis),
          instruments,
          instrumentStatus);
    }
  }

  private record Pending(
      String agent,
      String topic,
      byte[] payload,
      byte[] correlation,
      CompletableFuture<Map<String, Object>> reply,
      String[] sessionSent,
      boolean[] agentWentAway) {}

  public AgentLink(BrokerSettings settings) {
    this.settings = settings;
    this.client =
        new BrokerClient(
            settings,
            clientId,
            "daemon " + clientId,
            Optional.empty(),
            List.of(
                AgentTopics.allStatus(),
                AgentTopics.allHeartbeats(),
                AgentTopics.allReplies(clientId)),
            new BrokerClient.Handler() {
              @Override
              public void message(String topic, MqttMessage message) {
                try {
                  arrived(topic, message);
                } catch (RuntimeException | Error e) {
                  // Paho would drop the connection for an exception thrown here
                  log.warn("a message on '{}' could not be handled", topic, e);
                }
              }

              @Override
              public void lost(String reason) {
                pending.values().forEach(p -> p.agentWentAway()[0] = true);
              }

              @Override
              public void connected() {
                // requests published while the daemon was away from the broker may be lost
                pending.values().stream().filter(p -> p.agentWentAway()[0]).forEach(p -> send(p));
              }
            });
  }

  public String url() {
    return settings.url();
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * Connects and subscribes; from then on follows the agents.
   *
   * @throws IOException saying which credential or topic the broker refused
   */
  public void connect(Duration timeout) throws IOException {
    client.connect(timeout);
    watch.scheduleAtFixedRate(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
  }

  public boolean connected() {
    return client.isConnected();
  }

  /** Every agent seen on the broker, by name. */
  public Map<String, AgentState> agents() {
    Map<String, AgentState> out = new LinkedHashMap<>();
    agents.values().stream()
        .sorted(java.util.Comparator.comparing(k -> k.name))
        .forEach(
            k -> {
              synchronized (k) {
                out.put(k.name, k.view());
              }
            });
    return out;
  }

  public Optional<AgentState> agent(String name) {
    Known k = agents.get(name);
    if (k == null) return Optional.empty();
    synchronized (k) {
      return Optional.of(k.view());
    }
  }

  /**
   * Sends {@code body} to {@code agent} and completes with its reply; fails with {@code
   * InstrumentError.Disconnected} if the agent is offline now (nothing is sent), and at the
   * deadline with a timeout or, if the agent went away meanwhile, as interrupted.
   */
  CompletableFuture<Map<String, Object>> request(
      String agent,
      String instrument,
      String command,
      Map<String, Object> body,
      Duration deadline) {
    CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
    Optional<AgentState> state = agent(agent);
    if (!client.isConnected() || state.isEmpty() || !state.get().online()) {
      String why =
          !client.isConnected()
              ? "not connected to the broker " + settings.url()
              : state
                  .map(s -> "agent " + agent + " is offline: " + s.reason())
                  .orElse("agent " + agent + " has never been seen on " + settings.url());
      reply.completeExceptionally(
          new InstrumentError.Disconnected(instrument, command, why + "; nothing was sent", null));
      return reply;
    }
    byte[] correlation = uuid();
    String key = HexFormat.of().formatHex(correlation);
    Pending p =
        new Pending(
            agent,
            new AgentTopics(agent).request(),
            AgentMessages.write(body),
            correlation,
            reply,
            new String[] {state.get().session()},
            new boolean[] {false});
    pending.put(key, p);
    reply.whenComplete((r, e) -> pending.remove(key));
    send(p);
    watch.schedule(
        () -> {
          if (reply.isDone()) return;
          String took = deadline.toMillis() + " ms";
          reply.completeExceptionally(
              p.agentWentAway()[0]
                  ? new InstrumentError.Interrupted(
                      instrument,
                      command,
                      "agent "
                          + agent
                          + " went offline with the command in flight and gave no answer within "
                          + took
                          + "; it may or may not have reached the instrument")
                  : new InstrumentError.Timeout(
                      instrument, command, "no answer from agent " + agent + " within " + took));
        },
        deadline.toMillis(),
        TimeUnit.MILLISECONDS);
    return reply;
  }

  private void send(Pending p) {
    MqttProperties props = new MqttProperties();
    props.setResponseTopic(new AgentTopics(p.agent()).reply(clientId));
    props.setCorrelationData(p.correlation());
    client
        .publish(p.topic(), p.payload(), false, props)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                log.warn("{}", e.getMessage());
                p.agentWentAway()[0] = true; // maybe not delivered: resend when the agent is back
              }
            });
  }

  private void arrived(String topic, MqttMessage message) {
    Optional<String> agent = AgentTopics.agentOf(topic);
    if (agent.isEmpty()) return;
    String rest = topic.substring(AgentTopics.ROOT.length() + agent.get().length() + 1);
    Map<String, Object> body;
    try {
      body = message.getPayload().length == 0 ? Map.of() : AgentMessages.read(message.getPayload());
    } catch (IOException e) {
      log.warn("unreadable message on '{}' ignored: {}", topic, e.getMessage());
      return;
    }
    if (rest.startsWith("reply/")) {
      byte[] c =
          message.getProperties() == null ? null : message.getProperties().getCorrelationData();
      Pending p = c == null ? null : pending.remove(HexFormat.of().formatHex(c));
      if (p == null) {
        log.debug("a reply from agent {} answers no waiting request; dropped", agent.get());
        return;
      }
      p.reply().complete(body);
    } else if (rest.equals("status")) {
      status(agent.get(), body);
    } else if (rest.equals("heartbeat")) {
      heartbeat(agent.get(), body);
    }
  }

  @SuppressWarnings("unchecked")
  private void status(String name, Map<String, Object> body) {
    if (body.isEmpty()) return; // a retained status cleared by an operator
    Known k = agents.computeIfAbsent(name, Known::new);
    boolean cameBack;
    synchronized (k) {
      boolean wasOnline = k.online();
      String oldSession = k.session;
      k.statusOnline = "online".equals(body.get("state"));
      k.reason = String.valueOf(body.getOrDefault("reason", k.statusOnline ? "" : "offline"));
      k.session = String.valueOf(body.getOrDefault("session", ""));
      if (body.get("instruments") instanceof List<?> l)
        k.instruments = l.stream().map(String::valueOf).toList();
      if (body.get("heartbeat-ms") instanceof Number n) k.heartbeatMillis = n.longValue();
      if (k.statusOnline) {
        k.silent = false;
        k.lastHeartbeat = Instant.now();
      }
      if (wasOnline != k.online() || !oldSession.equals(k.session)) k.since = Instant.now();
      cameBack = k.online() && (!wasOnline || !oldSession.equals(k.session));
    }
    tell(k);
    if (cameBack) resendTo(name, k.session);
  }

  @SuppressWarnings("unchecked")
  private void heartbeat(String name, Map<String, Object> body) {
    Known k = agents.computeIfAbsent(name, Known::new);
    synchronized (k) {
      k.lastHeartbeat = Instant.now();
      if (body.get("instruments") instanceof Map<?, ?> m) {
        Map<String, Map<String, Object>> each = new LinkedHashMap<>();
        m.forEach(
            (i, s) -> {
              if (s instanceof Map<?, ?> one)
                each.put(String.valueOf(i), (Map<String, Object>) one);
            });
        k.instrumentStatus = each;
      }
      if (k.silent && k.statusOnline && String.valueOf(body.get("session")).equals(k.session)) {
        k.silent = false;
        k.since = Instant.now();
      }
    }
    tell(k);
  }

  private void checkHeartbeats() {
    for (Known k : agents.values()) {
      synchronized (k) {
        if (!k.statusOnline || k.silent || k.lastHeartbeat == null) continue;
        long quiet = Duration.between(k.lastHeartbeat, Instant.now()).toMillis();
        if (quiet > 3 * k.heartbeatMillis) {
          k.silent = true;
          k.reason =
              "silent: no heartbeat for "
                  + quiet / 1000
                  + " s (expected every "
                  + k.heartbeatMillis
                  + " ms)";
          k.since = Instant.now();
        }
      }
      tell(k);
    }
  }

  /** Tells the listeners once per change between online and offline. */
  private void tell(Known k) {
    AgentState view;
    boolean offline;
    synchronized (k) {
      offline = !k.online();
      if (k.toldOffline != null && offline == k.toldOffline) return;
      k.toldOffline = offline;
      view = k.view();
    }
    if (offline) {
      log.warn("agent {} is offline: {}", view.name(), view.reason());
      pending.values().stream()
          .filter(p -> p.agent().equals(view.name()))
          .forEach(p -> p.agentWentAway()[0] = true);
      listeners.forEach(l -> l.offline(view));
    } else {
      log.info("agent {} is online (instruments {})", view.name(), view.instruments());
      listeners.forEach(l -> l.online(view));
    }
  }

  /**
   * The agent is back (restarted, or reconnected after an outage): what it did not answer is sent
   * again, unchanged (same key); its journal makes that safe.
   */
  private void resendTo(String agent, String session) {
    pending.values().stream()
        .filter(
            p ->
                p.agent().equals(agent)
                    && (p.agentWentAway()[0] || !p.sessionSent()[0].equals(session)))
        .forEach(
            p -> {
              p.sessionSent()[0] = session;
              log.info("agent {} is back; sending its unanswered request again", agent);
              send(p);
            });
  }

  /** Applies {@code action} to each agent in {@code names} (tests). */
  void forEach(BiConsumer<String, AgentState> action) {
    agents().forEach(action);
  }

  private static byte[] uuid() {
    UUID id = UUID.randomUUID();
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  @Override
  public void close() {
    watch.shutdownNow();
    client.close();
    pending
        .values()
        .forEach(
            p ->
                p.reply()
                    .completeExceptionally(new IOException("the daemon's agent link was closed")));
  }
}
