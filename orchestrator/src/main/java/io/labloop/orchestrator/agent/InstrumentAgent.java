package io.labloop.orchestrator.agent;

import io.labloop.common.Threads;
import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.lab.Lab;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code labloop agent}: the instruments of a lab file marked {@code agent: NAME}, opened with the
 * ordinary drivers on this PC and offered on the broker (topics in {@link AgentTopics}).
 *
 * <p>A request runs on a pool, never on Paho's thread; its reply goes to the request's MQTT 5
 * response topic with its correlation data. A non-idempotent command with a journal key passes
 * through the {@link AgentJournal} first, so a repeated key is answered from the journal and a key
 * cut short by a restart is answered "interrupted". The retained status is "online" from the moment
 * the instruments are open; the Last Will (retained too) turns it "offline" if the agent vanishes,
 * a clean stop does so itself. The heartbeat carries each instrument's status.
 */
public final class InstrumentAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InstrumentAgent.class);

  private final String name;
  private final AgentTopics topics;
  private final LabConfig lab;
  private final BrokerSettings broker;
  private final Drivers drivers;
  private final Map<String, Instrument> instruments = new LinkedHashMap<>();
  private final AgentJournal journal;
  private final String session = UUID.randomUUID().toString();
  private final Instant since = Instant.now();
  private final ExecutorService work;
  private final ScheduledExecutorService beat;
  private final Map<String, CompletableFuture<Map<String, Object>>> running =
      new ConcurrentHashMap<>();
  private final BrokerClient client;

  /**
   * @param data where the agent keeps its journal ({@code agent-NAME.journal}) and the drivers
   *     their files
   */
  public InstrumentAgent(
      String name, LabConfig lab, BrokerSettings broker, Path data, Drivers drivers) {
    this.topics = new AgentTopics(name);
    this.name = name;
    this.lab = lab;
    this.broker = broker;
    this.drivers = drivers;
    List<String> mine = instrumentsOf(lab, name);
    if (mine.isEmpty())
      throw new IllegalArgumentException(
          lab.file()
              + ": no instrument is marked 'agent: "
              + name
              + "'"
              + (agentNames(lab).isEmpty()
                  ? ""
                  : " (agents in this file: " + agentNames(lab) + ")"));
    this.journal = new AgentJournal(data.resolve("agent-" + name + ".journal"));
    this.work = Executors.newCachedThreadPool(Threads.numbered("agent-" + name + "-"));
    this.beat = Executors.newSingleThreadScheduledExecutor(Threads.daemon("agent-heartbeat"));
    this.client =
        new BrokerClient(
            broker,
            "labloop-agent-" + name,
            "agent " + name,
            Optional.of(
                new BrokerClient.Will(
                    topics.status(),
                    AgentMessages.write(
                        status("offline", "the agent's connection was lost (Last Will)")),
                    true)),
            List.of(topics.request()),
            new BrokerClient.Handler() {
              @Override
              public void message(String topic, MqttMessage message) {
                work.execute(() -> handle(message));
              }

              @Override
              public void connected() {
                publishOnline();
              }
            });
  }

  /** Names of the instruments of {@code lab} marked {@code agent: agent}, in file order. */
  public static List<String> instrumentsOf(LabConfig lab, String agent) {
    List<String> out = new ArrayList<>();
    for (InstrumentConfig i : lab.instruments().values())
      if (agent.equals(agentOf(i).orElse(null))) out.add(i.name());
    return out;
  }

  /** The agent an instrument is marked for, if any. */
  public static Optional<String> agentOf(InstrumentConfig i) {
    Object a = i.spec().section().get("agent");
    return a == null ? Optional.empty() : Optional.of(String.valueOf(a));
  }

  static List<String> agentNames(LabConfig lab) {
    return lab.instruments().values().stream()
        .map(InstrumentAgent::agentOf)
        .flatMap(Optional::stream)
        .distinct()
        .toList();
  }

  /**
   * Opens the instruments (waiting up to {@code timeout} for each; one that does not come online
   * keeps trying and is reported so in the heartbeat), connects to the broker and says "online".
   *
   * @throws IOException when the broker refuses the agent (which credential, which topic)
   */
  public void start(Duration timeout) throws IOException {
    for (String n : instrumentsOf(lab, name)) {
      Instrument i = drivers.create(lab.instrument(n).spec());
      instruments.put(n, i);
    }
    for (Map.Entry<String, Instrument> e : instruments.entrySet()) {
      try {
        e.getValue().connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception x) {
        log.warn(
            "agent {}: {} is not online yet ({}); it keeps trying",
            name,
            e.getKey(),
            io.labloop.common.Errors.rootMessage(x));
      }
    }
    client.connect(timeout);
    publishOnline();
    long every = broker.heartbeat().toMillis();
    beat.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "agent {} online on {} with {} (journal {})",
        name,
        broker.url(),
        instruments.keySet(),
        session);
  }

  public List<String> instruments() {
    return List.copyOf(instruments.keySet());
  }

  private void publishOnline() {
    client
        .publish(topics.status(), AgentMessages.text(status("online", "")), true)
        .whenComplete(
            (v, e) -> {
              if (e != null) log.warn("{}", e.getMessage());
            });
  }

  private Map<String, Object> status(String state, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    m.put("session", session);
    m.put("since", since.toString());
    m.put("instruments", instrumentsOf(lab, name));
    m.put("heartbeat-ms", broker.heartbeat().toMillis());
    if (!reason.isEmpty()) m.put("reason", reason);
    return m;
  }

  private void heartbeat() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", Instant.now().toString());
    m.put("session", session);
    Map<String, Object> each = new LinkedHashMap<>();
    instruments.forEach(
        (n, i) -> {
          InstrumentStatus s = i.status();
          Map<String, Object> one = new LinkedHashMap<>();
          one.put("state", s.state().name());
          s.reasonKind().ifPresent(k -> one.put("reason-kind", k.name()));
          if (!s.reason().isEmpty()) one.put("reason", s.reason());
          each.put(n, one);
        });
    m.put("instruments", each);
    if (client.isConnected()) client.publish(topics.heartbeat(), AgentMessages.text(m), false);
  }

  private void handle(MqttMessage message) {
    MqttProperties in = message.getProperties();
    String replyTo = in == null ? null : in.getResponseTopic();
    byte[] correlation = in == null ? null : in.getCorrelationData();
    if (replyTo == null) {
      log.warn("agent {}: a request without a response topic was ignored", name);
      return;
    }
    Map<String, Object> request;
    try {
      request = AgentMessages.read(message.getPayload());
    } catch (IOException e) {
      answer(replyTo, correlation, AgentMessages.failed("refused", "not a JSON request: " + e));
      return;
    }
    answer(request).thenAccept(reply -> answer(replyTo, correlation, reply));
  }

  /** What the agent answers to {@code request} (public for the benchmark and tests). */
  CompletableFuture<Map<String, Object>> answer(Map<String, Object> request) {
    String instrument = String.valueOf(request.get("instrument"));
    Instrument i = instruments.get(instrument);
    if (i == null)
      return CompletableFuture.completedFuture(
          AgentMessages.failed(
              "refused",
              "agent "
                  + name
                  + " has no instrument '"
                  + instrument
                  + "' (it has "
                  + instruments.keySet()
                  + ")"));
    String op = String.valueOf(request.getOrDefault("op", "execute"));
    if (op.equals("read")) {
      String variable = String.valueOf(request.get("variable"));
      return i.read(variable)
          .handle(
              (v, e) -> {
                if (e == null) {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("ok", true);
                  m.put("value", v);
                  return m;
                }
                return failure(instrument, "read " + variable, e);
              });
    }
    String command = String.valueOf(request.get("command"));
    Map<String, Object> arguments = AgentMessages.arguments(request.get("arguments"));
    Object key = request.get("key");
    CommandConfig config = lab.instrument(instrument).commands().get(command);
    boolean journaled = key != null && config != null && !config.idempotent();
    if (!journaled) return run(i, instrument, new Command(command, arguments));
    int attempt = request.get("attempt") instanceof Number n ? n.intValue() : 1;
    String k = String.valueOf(key);
    CompletableFuture<Map<String, Object>> reply;
    synchronized (running) {
      AgentJournal.Decision d = journal.begin(k, attempt);
      if (d instanceof AgentJournal.Answer a) {
        log.info("agent {}: journal key {} answered from the journal", name, k);
        return CompletableFuture.completedFuture(a.reply());
      }
      if (d instanceof AgentJournal.Running) {
        CompletableFuture<Map<String, Object>> r = running.get(k);
        if (r != null) return r;
      }
      reply = new CompletableFuture<>();
      running.put(k, reply);
    }
    Command sent = new Command(command, arguments, Optional.of(new Command.Journal(k, attempt)));
    run(i, instrument, sent)
        .whenComplete(
            (m, e) -> {
              journal.end(k, attempt, Boolean.TRUE.equals(m.get("ok")), m);
              running.remove(k);
              reply.complete(m);
            });
    return reply;
  }

  private CompletableFuture<Map<String, Object>> run(
      Instrument i, String instrument, Command command) {
    CompletableFuture<Reply> f;
    try {
      f = i.execute(command);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle(
        (r, e) -> e == null ? AgentMessages.ok(r) : failure(instrument, command.name(), e));
  }

  private static Map<String, Object> failure(String instrument, String command, Throwable e) {
    return Lab.instrumentError(e)
        .map(AgentMessages::failed)
        .orElseGet(
            () ->
                AgentMessages.failed(
                    "disconnected",
                    instrument
                        + "."
                        + command
                        + " failed on the agent: "
                        + io.labloop.common.Errors.rootMessage(e)));
  }

  private void answer(String topic, byte[] correlation, Map<String, Object> reply) {
    MqttProperties p = new MqttProperties();
    if (correlation != null) p.setCorrelationData(correlation);
    client
        .publish(topic, AgentMessages.write(reply), false, p)
        .whenComplete(
            (v, e) -> {
              if (e != null)
                log.warn("agent {}: the reply was not delivered: {}", name, e.getMessage());
            });
  }

  @Override
  public void close() {
    beat.shutdownNow();
    client.close(
        Optional.of(
            () -> {
              try {
                client
                    .publish(
                        topics.status(), AgentMessages.text(status("offline", "stopped")), true)
                    .get(2, TimeUnit.SECONDS);
              } catch (Exception e) {
                log.debug("agent {}: could not say offline", name, e);
              }
            }));
    work.shutdownNow();
    instruments.values().forEach(Instrument::close);
    drivers.close();
    journal.close();
  }
}
