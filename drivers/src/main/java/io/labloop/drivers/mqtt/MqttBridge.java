package io.labloop.drivers.mqtt;

import io.labloop.common.Threads;
import io.labloop.drivers.InstrumentStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection shared by every instrument on the same broker (client id, user).
 *
 * <p>Request/response: each request gets fresh correlation data and a pending future keyed by it;
 * every incoming message goes through the single {@link MqttCallback} and completes the future with
 * the same correlation data. A future that completes any other way (timeout, disconnect) removes
 * itself from the pending map, so a reply that arrives later finds nothing and is dropped with a
 * warning instead of being taken for the answer to a newer request.
 *
 * <p>Connection: Paho reconnects by itself once the first connection has succeeded; before that,
 * each {@link #connect()} makes one attempt. After every (re)connect the bridge re-subscribes to
 * all response topics on its own thread (see the package comment for why).
 */
final class MqttBridge implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);
  private static final int QOS = 1;

  /** Told about connection changes; each instrument keeps its own status from these. */
  interface Listener {
    void online();

    void offline(InstrumentStatus.ReasonKind kind, String reason);

    /** Connecting failed for a reason retrying will not fix (an untrusted broker certificate). */
    default void error(InstrumentStatus.ReasonKind kind, String reason) {
      offline(kind, reason);
    }
  }

  /** A failed connection attempt; {@code permanent} when only the engineer can fix it. */
  static final class ConnectFailure extends java.io.IOException {
    final InstrumentStatus.ReasonKind kind;
    final boolean permanent;

    ConnectFailure(String message, InstrumentStatus.ReasonKind kind, Throwable cause) {
      super(message, cause);
      this.kind = kind;
      this.permanent =
          kind != InstrumentStatus.ReasonKind.BRIDGE_DOWN
              && kind != InstrumentStatus.ReasonKind.COMMUNICATION;
    }
  }

  private final MqttSettings settings;

  /** For an ssl:// broker: the trust check and its last refusal; null for tcp://. */
  private final BrokerTrust trust;

  private final String clientId;
  private final MqttAsyncClient client;
  private final Set<String> responseTopics = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService subscriber;
  private final Object connectLock = new Object();
  private CompletableFuture<Void> connecting;
  private volatile boolean everConnected;

  /** Why the last attempt failed, until one succeeds: told to requests made meanwhile. */
  private volatile ConnectFailure lastFailure;

  private volatile boolean subscribed;
  private volatile boolean closed;

  /**
   * @param folder where this connection keeps files (a refused broker certificate, under {@code
   *     untrusted/})
   */
  MqttBridge(MqttSettings settings, java.nio.file.Path folder) {
    this.settings = settings;
    this.trust =
        settings.broker().startsWith("ssl://")
            ? new BrokerTrust(settings.broker(), settings.caFile(), folder)
            : null;
    this.clientId =
        settings.clientId().orElse("labloop-" + UUID.randomUUID().toString().substring(0, 8));
    this.subscriber =
        Executors.newSingleThreadExecutor(Threads.daemon("mqtt-subscribe-" + clientId));
    try {
      client = new MqttAsyncClient(settings.broker(), clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException(
          "cannot use broker '" + settings.broker() + "': " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
  }

  String defaultResponseTopic() {
    return settings.responseTopic().orElse("labloop/replies/" + clientId);
  }

  void addListener(Listener l) {
    listeners.add(l);
    if (isReady()) l.online();
  }

  void removeListener(Listener l) {
    listeners.remove(l);
  }

  /** Connected and subscribed to every response topic, i.e. able to receive replies. */
  boolean isReady() {
    return client.isConnected() && subscribed;
  }

  /** Adds a topic replies arrive on; subscribes now if connected, and after every reconnect. */
  void addResponseTopic(String topic) {
    if (responseTopics.add(topic) && client.isConnected()) subscriber.execute(this::subscribeAll);
  }

  /** Connects if not connected; completes when connected and subscribed. */
  CompletableFuture<Void> connect() {
    synchronized (connectLock) {
      if (isReady()) return CompletableFuture.completedFuture(null);
      if (connecting != null && !connecting.isDone()) return connecting;
      if (everConnected) {
        // Paho's automatic reconnect owns the connection from now on; wait for it to come back.
        CompletableFuture<Void> next = new CompletableFuture<>();
        Listener once =
            new Listener() {
              @Override
              public void online() {
                next.complete(null);
              }

              @Override
              public void offline(InstrumentStatus.ReasonKind kind, String reason) {}
            };
        listeners.add(once);
        next.whenComplete((v, e) -> listeners.remove(once));
        if (isReady()) next.complete(null);
        return next;
      }
      CompletableFuture<Void> attempt = new CompletableFuture<>();
      connecting = attempt;
      if (trust != null) trust.forget();
      try {
        client.connect(
            options(),
            null,
            new org.eclipse.paho.mqttv5.client.MqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                everConnected = true;
                lastFailure = null;
                subscriber.execute(
                    () -> {
                      subscribeAll();
                      if (subscribed) attempt.complete(null);
                      else
                        attempt.completeExceptionally(
                            new java.io.IOException(
                                "connected to "
                                    + settings.broker()
                                    + " but could not subscribe to the response topics "
                                    + responseTopics));
                    });
              }

              @Override
              public void onFailure(IMqttToken token, Throwable e) {
                ConnectFailure failure = classify(e);
                lastFailure = failure;
                listeners.forEach(
                    l -> {
                      if (failure.permanent) l.error(failure.kind, failure.getMessage());
                      else l.offline(failure.kind, failure.getMessage());
                    });
                attempt.completeExceptionally(failure);
              }
            });
      } catch (MqttException e) {
        attempt.completeExceptionally(
            new java.io.IOException(
                "cannot connect to broker " + settings.broker() + ": " + describe(e), e));
      } catch (java.io.IOException e) {
        attempt.completeExceptionally(e);
      }
      return attempt;
    }
  }

  /**
   * Publishes a request and returns the future of the reply payload. The caller completes the
   * future exceptionally to give up on it (timeout); that also forgets the request.
   */
  CompletableFuture<byte[]> request(String topic, byte[] payload, String responseTopic) {
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    if (!client.isConnected()) {
      ConnectFailure last = lastFailure;
      reply.completeExceptionally(
          new java.io.IOException(
              "not connected to broker "
                  + settings.broker()
                  + (everConnected
                      ? " (reconnecting)"
                      : last != null ? ": " + last.getMessage() : "")));
      if (!everConnected) connect();
      return reply;
    }
    byte[] correlation = uuidBytes(UUID.randomUUID());
    String key = HexFormat.of().formatHex(correlation);
    pending.put(key, reply);
    reply.whenComplete((r, e) -> pending.remove(key));
    MqttMessage message = new MqttMessage(payload);
    message.setQos(QOS);
    MqttProperties props = new MqttProperties();
    props.setResponseTopic(responseTopic);
    props.setCorrelationData(correlation);
    message.setProperties(props);
    try {
      client.publish(
          topic,
          message,
          null,
          new org.eclipse.paho.mqttv5.client.MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {}

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              reply.completeExceptionally(
                  new java.io.IOException(
                      "publishing to '" + topic + "' failed: " + describe(e), e));
            }
          });
    } catch (MqttException e) {
      reply.completeExceptionally(
          new java.io.IOException("publishing to '" + topic + "' failed: " + describe(e), e));
    }
    return reply;
  }

  private MqttConnectionOptions options() throws java.io.IOException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 10);
    // A persistent session lets the broker queue replies (QoS 1) during a short outage.
    o.setCleanStart(false);
    o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
    o.setConnectionTimeout(10);
    o.setKeepAliveInterval(15);
    settings.username().ifPresent(o::setUserName);
    settings.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
    if (trust != null) {
      o.setSocketFactory(trust.socketFactory());
    } else {
      o.setSocketFactory(new NoDelaySocketFactory());
    }
    return o;
  }

  /**
   * A refused broker certificate is for the engineer to settle; anything else may pass (broker
   * down, network).
   */
  private ConnectFailure classify(Throwable e) {
    java.util.Optional<String> refusal =
        trust == null ? java.util.Optional.empty() : trust.lastRefusal();
    if (refusal.isPresent())
      return new ConnectFailure(
          refusal.get(), InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE, e);
    return new ConnectFailure(
        "cannot connect to broker " + settings.broker() + ": " + describe(e),
        InstrumentStatus.ReasonKind.BRIDGE_DOWN,
        e);
  }

  /** Runs on {@link #subscriber}, never on a Paho callback thread. */
  private void subscribeAll() {
    if (responseTopics.isEmpty() || !client.isConnected()) {
      subscribed = client.isConnected();
    } else {
      MqttSubscription[] subs =
          responseTopics.stream()
              .map(t -> new MqttSubscription(t, QOS))
              .toArray(MqttSubscription[]::new);
      try {
        // The array form without listeners: messages arrive through the callback.
        client.subscribe(subs).waitForCompletion(10_000);
        subscribed = true;
        log.debug("subscribed to {} on {}", responseTopics, settings.broker());
      } catch (MqttException e) {
        subscribed = false;
        log.warn(
            "could not subscribe to {} on {}: {}", responseTopics, settings.broker(), describe(e));
      }
    }
    if (subscribed) listeners.forEach(Listener::online);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      lost(
          "the broker closed the connection"
              + (response.getReasonString() == null ? "" : ": " + response.getReasonString()));
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
      log.warn("MQTT error on {}: {}", settings.broker(), describe(e));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      byte[] correlation =
          message.getProperties() == null ? null : message.getProperties().getCorrelationData();
      CompletableFuture<byte[]> reply =
          correlation == null ? null : pending.remove(HexFormat.of().formatHex(correlation));
      if (reply == null) {
        log.warn(
            "dropped a message on '{}' that answers no waiting request (its request timed out, or it is not a reply): {}",
            topic,
            abbreviate(message.getPayload()));
        return;
      }
      reply.complete(message.getPayload());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        log.info("reconnected to {}; re-subscribing to {}", serverUri, responseTopics);
        subscriber.execute(MqttBridge.this::subscribeAll);
      }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  private void lost(String reason) {
    subscribed = false;
    if (closed) return;
    log.warn("lost connection to {}: {}", settings.broker(), reason);
    listeners.forEach(l -> l.offline(InstrumentStatus.ReasonKind.BRIDGE_DOWN, reason));
    // Requests in flight will not be answered on this connection: fail them now rather than at
    // their timeout.
    pending
        .values()
        .forEach(
            f ->
                f.completeExceptionally(
                    new java.io.IOException(
                        "lost connection to "
                            + settings.broker()
                            + " while waiting for the reply: "
                            + reason)));
  }

  private static String describe(Throwable e) {
    if (e instanceof MqttException m) {
      String msg = m.getMessage();
      Throwable cause = m.getCause();
      return (msg == null ? "reason code " + m.getReasonCode() : msg)
          + (cause == null ? "" : " (" + cause.getMessage() + ")");
    }
    return String.valueOf(e.getMessage());
  }

  private static String abbreviate(byte[] payload) {
    String s = new String(payload, StandardCharsets.UTF_8);
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static byte[] uuidBytes(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  @Override
  public void close() {
    closed = true;
    subscriber.shutdownNow();
    try {
      if (client.isConnected()) client.disconnect(2_000).waitForCompletion(3_000);
    } catch (MqttException e) {
      log.debug("disconnect from {} failed", settings.broker(), e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("closing the client for {} failed", settings.broker(), e);
    }
  }
}
