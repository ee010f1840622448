package io.labloop.orchestrator.agent;

import io.labloop.common.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
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
 * One Paho MQTT 5 client of an agent or a daemon: connects with {@link BrokerConnection}'s options
 * (and a Last Will when given), subscribes to its topics after every (re)connect on a thread of its
 * own (subscribing inside Paho's {@code connectComplete} can deadlock its callback thread, see the
 * mqtt driver's package comment), and hands every message to one handler. A publish or subscribe
 * the broker refuses (reason code 0x80 or above, e.g. 0x87 not authorized) fails with a message
 * that names the topic, so an access list that keeps an agent to its own topics is visible.
 */
final class BrokerClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerClient.class);

  /** Told about messages and connection changes; called on Paho's or the client's own thread. */
  interface Handler {
    void message(String topic, MqttMessage message);

    /** Connected (again) and subscribed. */
    default void connected() {}

    default void lost(String reason) {}
  }

  /** The Last Will: published by the broker if this client vanishes. */
  record Will(String topic, byte[] payload, boolean retained) {}

  private final BrokerSettings settings;
  private final String who;
  private final MqttAsyncClient client;
  private final List<String> topics;
  private final Handler handler;
  private final Optional<Will> will;
  private final ExecutorService own;
  private volatile boolean closed;

  /**
   * @param who how messages name this client ("agent spectro-pc", "daemon")
   */
  BrokerClient(
      BrokerSettings settings,
      String clientId,
      String who,
      Optional<Will> will,
      List<String> topics,
      Handler handler) {
    this.settings = settings;
    this.who = who;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.will = will;
    this.own = Executors.newSingleThreadExecutor(Threads.daemon("mqtt-" + clientId));
    try {
      client = new MqttAsyncClient(settings.url(), clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException(
          "cannot use broker '" + settings.url() + "': " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
  }

  /**
   * Connects and subscribes, waiting up to {@code timeout}.
   *
   * @throws IOException saying which credential or topic the broker refused
   */
  void connect(Duration timeout) throws IOException {
    MqttConnectionOptions o = BrokerConnection.options(settings);
    will.ifPresent(
        w -> {
          MqttMessage m = new MqttMessage(w.payload());
          m.setQos(1);
          m.setRetained(w.retained());
          o.setWill(w.topic(), m);
        });
    try {
      client.connect(o).waitForCompletion(timeout.toMillis());
    } catch (MqttException e) {
      throw new IOException(BrokerConnection.describe(settings, who, e), e);
    }
    subscribe();
  }

  boolean isConnected() {
    return client.isConnected();
  }

  private void subscribe() throws IOException {
    if (topics.isEmpty()) return;
    MqttSubscription[] subs =
        topics.stream().map(t -> new MqttSubscription(t, 1)).toArray(MqttSubscription[]::new);
    try {
      IMqttToken token = client.subscribe(subs);
      token.waitForCompletion(10_000);
      int[] codes = token.getReasonCodes();
      for (int i = 0; codes != null && i < codes.length && i < subs.length; i++) {
        if (codes[i] >= 0x80)
          throw new IOException(
              who
                  + ": the broker "
                  + settings.url()
                  + " refused the subscription to '"
                  + subs[i].getTopic()
                  + "' (reason code 0x"
                  + Integer.toHexString(codes[i])
                  + (codes[i] == 0x87 ? ", not authorized: the access list keeps " : ", ")
                  + settings.username().map(u -> "user '" + u + "'").orElse("this client")
                  + " off that topic)");
      }
    } catch (MqttException e) {
      throw new IOException(who + ": subscribing to " + topics + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Publishes at QoS 1; completes when the broker acknowledged it, exceptionally if the broker
   * refused it or the client is not connected.
   */
  CompletableFuture<Void> publish(
      String topic, byte[] payload, boolean retained, MqttProperties properties) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    m.setRetained(retained);
    if (properties != null) m.setProperties(properties);
    publish(topic, m, done);
    return done;
  }

  /**
   * Paho refuses a QoS 1 publish at once while the broker's Receive Maximum (10 on HiveMQ CE) of
   * unacknowledged ones are out; that is back-pressure, not a failure, so it is tried again shortly
   * for as long as the client is connected (a burst of commands to many agents would otherwise lose
   * requests and wait for the deadline).
   */
  private void publish(String topic, MqttMessage m, CompletableFuture<Void> done) {
    try {
      client.publish(
          topic,
          m,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= 0x80)
                done.completeExceptionally(
                    new IOException(
                        who
                            + ": the broker "
                            + settings.url()
                            + " refused the message to '"
                            + topic
                            + "' (reason code 0x"
                            + Integer.toHexString(codes[0])
                            + (codes[0] == 0x87
                                ? ", not authorized: that topic belongs to someone else"
                                : "")
                            + ")"));
              else done.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              failed(topic, m, done, e);
            }
          });
    } catch (MqttException e) {
      failed(topic, m, done, e);
    }
  }

  /** A refused publish: tried again while it is only back-pressure, else {@code done} fails. */
  private void failed(String topic, MqttMessage m, CompletableFuture<Void> done, Throwable e) {
    if (retryLater(topic, m, done, e)) return;
    done.completeExceptionally(
        new IOException(who + ": publishing to '" + topic + "' failed: " + e.getMessage(), e));
  }

  private boolean retryLater(
      String topic, MqttMessage m, CompletableFuture<Void> done, Throwable e) {
    if (!(e instanceof MqttException x)
        || x.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT
        || !client.isConnected()) return false;
    CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS)
        .execute(() -> publish(topic, m, done));
    return true;
  }

  CompletableFuture<Void> publish(String topic, String json, boolean retained) {
    return publish(topic, json.getBytes(StandardCharsets.UTF_8), retained, null);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      if (closed) return;
      String reason =
          "the broker "
              + settings.url()
              + " closed the connection"
              + (response.getReasonString() == null ? "" : ": " + response.getReasonString());
      log.warn("{}: {}", who, reason);
      handler.lost(reason);
    }

    @Override
    public void mqttErrorOccurred(MqttException e) {
      log.warn("{}: MQTT error on {}: {}", who, settings.url(), e.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      handler.message(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      own.execute(
          () -> {
            if (closed) return;
            if (reconnect) {
              try {
                subscribe();
                log.info("{}: reconnected to {}", who, serverUri);
              } catch (IOException e) {
                log.warn("{}", e.getMessage());
                return;
              }
            }
            handler.connected();
          });
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  /** Disconnects cleanly (no Last Will) after {@code last}, if given, was published. */
  void close(Optional<Runnable> last) {
    closed = true;
    last.ifPresent(Runnable::run);
    own.shutdownNow();
    try {
      if (client.isConnected()) client.disconnect(2_000).waitForCompletion(3_000);
    } catch (MqttException e) {
      log.debug("{}: disconnect failed", who, e);
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      log.debug("{}: close failed", who, e);
    }
  }

  @Override
  public void close() {
    close(Optional.empty());
  }
}
