package io.labloop.drivers.opcua;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.InstrumentSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which instruments share a session: the same server, security and user. Nothing connects here. */
class SharedSessionTest {

  private static InstrumentSpec spec(String name, String endpoint, Map<String, Object> security) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "opcua");
    s.put("endpoint", endpoint);
    if (security != null) s.put("security", security);
    s.put(
        "commands",
        Map.of(
            "go",
            Map.of(
                "method",
                Map.of("object", "ns=2;s=A", "method", "ns=2;s=A.Go"),
                "inputs",
                List.of())));
    return new InstrumentSpec(name, "opcua", s, Path.of("data"));
  }

  @Test
  void instrumentsOnOneServerShareASessionAndOthersDoNot() {
    OpcUaDriverFactory factory = new OpcUaDriverFactory();
    try (Bridges bridges = new Bridges();
        var robot =
            (OpcUaInstrument)
                factory.create(spec("robot", "opc.tcp://10.0.0.5:4840/lab", null), bridges);
        var meter =
            (OpcUaInstrument)
                factory.create(spec("meter", "opc.tcp://10.0.0.5:4840/lab", null), bridges);
        var other =
            (OpcUaInstrument)
                factory.create(spec("hplc", "opc.tcp://10.0.0.6:4840/lab", null), bridges);
        var asUser =
            (OpcUaInstrument)
                factory.create(
                    spec(
                        "oven",
                        "opc.tcp://10.0.0.5:4840/lab",
                        Map.of("policy", "Basic256Sha256", "username", "u", "password", "p")),
                    bridges)) {
      assertSame(robot.connection(), meter.connection());
      assertNotSame(robot.connection(), other.connection());
      assertNotSame(robot.connection(), asUser.connection());
    }
  }
}
