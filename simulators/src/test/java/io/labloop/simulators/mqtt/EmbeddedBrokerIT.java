package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerIT {

  private static List<String> folders(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void cleansUpAfterItselfAndAfterAKilledPredecessor(@TempDir Path work) throws Exception {
    // pid_max on Linux is at most 2^22: this owner cannot be alive.
    Files.createDirectories(work.resolve("mqtt-broker-999999999-1234/data"));
    try (EmbeddedBroker broker = EmbeddedBroker.start(URI.create("tcp://127.0.0.1:0"), work)) {
      assertTrue(broker.uri().getPort() > 0, "a free port was chosen");
      new MqttTestClient(broker.uri().toString()).close(); // an MQTT 5 client gets in
      List<String> during = folders(work);
      assertEquals(1, during.size(), during.toString());
      assertTrue(during.get(0).startsWith("mqtt-broker-" + ProcessHandle.current().pid() + "-"));
    }
    assertEquals(List.of(), folders(work));
  }

  @Test
  void refusesToBindBeyondLoopback(@TempDir Path work) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmbeddedBroker.start(URI.create("tcp://192.0.2.10:1883"), work));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
  }
}
