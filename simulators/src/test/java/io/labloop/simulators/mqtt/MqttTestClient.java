package io.labloop.simulators.mqtt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A plain Paho MQTT 5 client doing request/response, as any third-party program would. */
final class MqttTestClient implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final MqttClient client;
  private final String replyTopic = "test/replies/" + UUID.randomUUID();
  private final BlockingQueue<MqttMessage> replies = new LinkedBlockingQueue<>();

  MqttTestClient(String broker) throws MqttException {
    this(broker, null);
  }

  /** A client on an {@code ssl://} broker with this socket factory (null: Paho's default). */
  MqttTestClient(String broker, javax.net.SocketFactory sockets) throws MqttException {
    client = new MqttClient(broker, "test-" + UUID.randomUUID(), new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            replies.add(message);
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverURI) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setConnectionTimeout(10);
    if (sockets != null) {
      options.setSocketFactory(sockets);
    }
    client.connect(options);
    client
        .subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1)})
        .waitForCompletion(5_000);
  }

  /**
   * Sends a request; returns the reply with the same correlation data, or null if none comes in
   * time.
   */
  MqttMessage request(String topic, byte[] payload, long waitMillis) throws Exception {
    byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    MqttMessage request = new MqttMessage(payload);
    request.setQos(1);
    MqttProperties properties = new MqttProperties();
    properties.setResponseTopic(replyTopic);
    properties.setCorrelationData(correlation);
    request.setProperties(properties);
    client.publish(topic, request);
    long deadline = System.currentTimeMillis() + waitMillis;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      MqttMessage reply = left <= 0 ? null : replies.poll(left, TimeUnit.MILLISECONDS);
      if (reply == null) {
        return null;
      }
      if (Arrays.equals(correlation, reply.getProperties().getCorrelationData())) {
        return reply;
      }
    }
  }

  Map<String, Object> requestJson(String topic, Map<String, Object> payload) throws Exception {
    MqttMessage reply = request(topic, JSON.writeValueAsBytes(payload), 5_000);
    if (reply == null) {
      return null;
    }
    return JSON.readValue(reply.getPayload(), new TypeReference<Map<String, Object>>() {});
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
