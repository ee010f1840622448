package io.labloop.drivers.mqtt;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.InstrumentSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which instruments share one MQTT client: the same broker, client id and user. Nothing connects
 * here.
 */
class SharedClientTest {

  private static InstrumentSpec spec(String name, String broker, String user) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "mqtt");
    s.put("broker", broker);
    if (user != null) {
      s.put("username", user);
      s.put("password", "pw");
    }
    s.put("commands", Map.of("scan", Map.of("request", "lab/" + name + "/scan")));
    return new InstrumentSpec(name, "mqtt", s, Path.of("data"));
  }

  @Test
  void instrumentsOnOneBrokerShareAClientAndOthersDoNot() {
    MqttDriverFactory factory = new MqttDriverFactory();
    try (Bridges bridges = new Bridges();
        var xrd =
            (MqttInstrument) factory.create(spec("xrd", "tcp://127.0.0.1:1883", null), bridges);
        var dls =
            (MqttInstrument) factory.create(spec("dls", "tcp://127.0.0.1:1883", null), bridges);
        var remote =
            (MqttInstrument) factory.create(spec("nmr", "tcp://127.0.0.1:1884", null), bridges);
        var asUser =
            (MqttInstrument)
                factory.create(spec("hplc", "tcp://127.0.0.1:1883", "hplc"), bridges)) {
      assertSame(xrd.bridge(), dls.bridge());
      assertNotSame(xrd.bridge(), remote.bridge());
      assertNotSame(xrd.bridge(), asUser.bridge());
    }
  }
}
