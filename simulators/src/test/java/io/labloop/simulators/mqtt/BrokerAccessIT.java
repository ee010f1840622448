package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with users and the agents' topic rules of config/mosquitto/acl (issue 13): a
 * wrong password is refused, an agent cannot write to another agent's topics nor read its requests,
 * the daemon user writes every agent's requests.
 */
class BrokerAccessIT {

  /** A connected client: the topics it receives, and the reason code of a DISCONNECT. */
  private record Client(
      MqttAsyncClient mqtt, BlockingQueue<String> received, CompletableFuture<Integer> kicked) {}

  private static Client client(URI broker, String user, String password) throws MqttException {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> kicked = new CompletableFuture<>();
    MqttAsyncClient c =
        new MqttAsyncClient(
            broker.toString(), user + "-" + UUID.randomUUID(), new MemoryPersistence());
    c.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            kicked.complete(response.getReturnCode());
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.add(topic);
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(user);
    o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    o.setConnectionTimeout(10);
    try {
      c.connect(o).waitForCompletion(10_000);
    } catch (MqttException e) {
      c.close();
      throw e;
    }
    return new Client(c, received, kicked);
  }

  /** The SUBACK reason codes. */
  private static int[] subscribe(Client c, String... filters) throws MqttException {
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], 1);
    }
    IMqttToken t = c.mqtt().subscribe(subs, null, null, new MqttProperties());
    t.waitForCompletion(10_000);
    return t.getReasonCodes();
  }

  /** The reason code of a QoS 1 publish's PUBACK. */
  private static int publish(Client c, String topic) throws MqttException {
    MqttMessage m = new MqttMessage("x".getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    IMqttToken t = c.mqtt().publish(topic, m);
    t.waitForCompletion(10_000);
    return t.getReasonCodes() == null ? 0 : t.getReasonCodes()[0];
  }

  /**
   * The reason code with which the broker refuses a QoS 1 publish: HiveMQ answers an unauthorized
   * publish with DISCONNECT 0x87 (Mosquitto with PUBACK 0x87); either is taken.
   */
  private static int refusal(Client c, String topic) throws Exception {
    try {
      int code = publish(c, topic);
      if (code != 0) {
        return code;
      }
    } catch (MqttException e) {
      // the connection went while waiting for the PUBACK
    }
    return c.kicked().get(10, TimeUnit.SECONDS);
  }

  private static void close(Client c) throws MqttException {
    if (c.mqtt().isConnected()) {
      c.mqtt().disconnect().waitForCompletion(10_000);
    }
    c.mqtt().close();
  }

  @Test
  void agentsOnlyOnTheirOwnTopics(@TempDir Path work) throws Exception {
    Map<String, String> users = Map.of("a", "pa", "b", "pb", AgentAcl.DAEMON_USER, "pd");
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(
            URI.create("tcp://127.0.0.1:0"), work, new EmbeddedBroker.Access(users, true))) {
      URI uri = broker.uri();

      MqttException refused = assertThrows(MqttException.class, () -> client(uri, "a", "pb"));
      assertEquals(0x86, refused.getReasonCode(), refused.toString());
      MqttException stranger = assertThrows(MqttException.class, () -> client(uri, "c", "pc"));
      assertEquals(0x86, stranger.getReasonCode(), stranger.toString());

      Client a = client(uri, "a", "pa");
      Client b = client(uri, "b", "pb");
      Client daemon = client(uri, AgentAcl.DAEMON_USER, "pd");
      Client a2 = null;
      Client a3 = null;
      try {
        // A may read its own requests, not B's.
        assertArrayEquals(
            new int[] {1, 0x87},
            subscribe(a, "labloop/agents/a/request", "labloop/agents/b/request"));
        assertArrayEquals(new int[] {1}, subscribe(b, "labloop/agents/b/request"));
        assertArrayEquals(new int[] {1}, subscribe(daemon, "labloop/agents/+/status"));

        // A may not write B's status: refused with 0x87 (HiveMQ drops A's connection).
        assertEquals(0x87, refusal(a, "labloop/agents/b/status"));
        a2 = client(uri, "a", "pa");
        assertEquals(0, publish(a2, "labloop/agents/a/status"));
        assertEquals("labloop/agents/a/status", daemon.received().poll(10, TimeUnit.SECONDS));
        // Nor send B a request.
        assertEquals(0x87, refusal(a2, "labloop/agents/b/request"));
        a3 = client(uri, "a", "pa");
        assertArrayEquals(new int[] {1}, subscribe(a3, "labloop/agents/a/request"));
        // The daemon sends requests to both.
        assertEquals(0, publish(daemon, "labloop/agents/b/request"));
        assertEquals(0, publish(daemon, "labloop/agents/a/request"));
        assertEquals("labloop/agents/b/request", b.received().poll(10, TimeUnit.SECONDS));
        assertEquals("labloop/agents/a/request", a3.received().poll(10, TimeUnit.SECONDS));
        // The refused messages reached nobody (had they, they would have come first).
        assertEquals(List.of(), List.copyOf(b.received()));
        assertEquals(List.of(), List.copyOf(daemon.received()));
        assertEquals(List.of(), List.copyOf(a.received()));
      } finally {
        for (Client c : new Client[] {a, b, daemon, a2, a3}) {
          if (c != null) {
            close(c);
          }
        }
      }
    }
  }
}
