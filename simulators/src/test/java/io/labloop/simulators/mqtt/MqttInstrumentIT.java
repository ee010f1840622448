package io.labloop.simulators.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.junit.VirtualLabExtension;
import io.labloop.simulators.world.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulated XRD on the embedded MQTT 5 broker, driven by a plain Paho client. */
class MqttInstrumentIT {

  @RegisterExtension
  static VirtualLabExtension sim = VirtualLabExtension.fromResource("labs/test-lab.yaml");

  private static final String SCAN = "lab/xrd/scan";
  private MqttTestClient client;

  @BeforeEach
  void connect() throws Exception {
    sim.lab().faults("xrd").clear();
    client = new MqttTestClient(sim.lab().endpoint("xrd").address());
  }

  @AfterEach
  void disconnect() throws Exception {
    client.close();
  }

  private Sample sample() {
    return sim.lab()
        .world()
        .synthesize(
            Map.of("temperature", 150.0, "time", 30.0, "concentration", 0.5, "solvent", "water"));
  }

  @Test
  void answersOnTheResponseTopicWithTheCorrelationData() throws Exception {
    Sample s = sample();
    Map<String, Object> reply = client.requestJson(SCAN, Map.of("sample", s.id()));
    assertNotNull(reply, "an answer with the request's correlation data");
    assertEquals(
        s.truth().get("crystallinity"),
        ((Number) reply.get("crystallinity")).doubleValue(),
        5 * 0.01);
  }

  @Test
  void errorsAreJsonWithAnErrorField() throws Exception {
    assertEquals(
        "unknown sample S-99999",
        client.requestJson(SCAN, Map.of("sample", "S-99999")).get("error"));
    assertTrue(
        String.valueOf(client.requestJson(SCAN, Map.of("other", 1)).get("error"))
            .startsWith("missing argument"));
    MqttMessage notJson =
        client.request(SCAN, "scan please".getBytes(StandardCharsets.UTF_8), 5_000);
    assertTrue(new String(notJson.getPayload(), StandardCharsets.UTF_8).contains("\"error\""));
  }

  @Test
  void everyFaultKindShowsOnTheWire() throws Exception {
    VirtualLab lab = sim.lab();
    String id = sample().id();
    long before = lab.received("xrd", "scan");

    lab.faults("xrd").next(Fault.REFUSE);
    assertTrue(
        String.valueOf(client.requestJson(SCAN, Map.of("sample", id)).get("error"))
            .startsWith("refused"));

    lab.faults("xrd").next(Fault.GARBAGE);
    MqttMessage garbage =
        client.request(SCAN, MqttTestClient.JSON.writeValueAsBytes(Map.of("sample", id)), 5_000);
    assertThrows(
        Exception.class, () -> MqttTestClient.JSON.readTree(garbage.getPayload()), "not JSON");

    lab.faults("xrd").next(Fault.TIMEOUT);
    assertNull(
        client.request(SCAN, MqttTestClient.JSON.writeValueAsBytes(Map.of("sample", id)), 800));

    for (Fault drop : new Fault[] {Fault.DISCONNECT, Fault.RESTART}) {
      lab.faults("xrd").next(drop);
      assertNull(
          client.request(SCAN, MqttTestClient.JSON.writeValueAsBytes(Map.of("sample", id)), 200),
          drop + ": the device drops off the broker instead of answering");
      // It comes back by itself and resubscribes.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  client.request(
                          SCAN, MqttTestClient.JSON.writeValueAsBytes(Map.of("sample", id)), 500)
                      != null);
    }
    assertTrue(lab.received("xrd", "scan") >= before + 7);
  }
}
