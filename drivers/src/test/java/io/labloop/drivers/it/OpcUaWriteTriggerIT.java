package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.Reply;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-then-trigger command form, then a wait on a variable, then a read: against a bare Milo
 * server with writable variables ({@link WritableOvenServer}), because the virtual lab's variables
 * are read-only.
 */
class OpcUaWriteTriggerIT {

  @TempDir Path data;

  @Test
  void writesTheSetpointTriggersWaitsUntilIdleAndReadsTheResult() throws Exception {
    try (WritableOvenServer server = new WritableOvenServer();
        Drivers drivers = Drivers.standard()) {
      Map<String, Object> commands = new LinkedHashMap<>();
      commands.put(
          "heat",
          Map.of(
              "write",
                  List.of(
                      Map.of(
                          "node",
                          server.prefix + "Setpoint",
                          "value",
                          "{temperature}",
                          "type",
                          "Double")),
              "trigger", Map.of("node", server.prefix + "Start", "value", true),
              "until", Map.of("node", server.prefix + "State", "equals", "Idle"),
              "outputs", List.of(Map.of("name", "reached", "node", server.prefix + "Reached")),
              "timeout", "10s"));
      commands.put(
          "label",
          Map.of(
              "write",
              List.of(
                  Map.of(
                      "node", server.prefix + "Setpoint", "value", "{name}", "type", "Double"))));
      Instrument oven =
          Labs.create(
              drivers,
              "oven",
              Map.of(
                  "driver",
                  "opcua",
                  "endpoint",
                  server.endpoint,
                  "variables",
                  Map.of("State", server.prefix + "State"),
                  "commands",
                  commands),
              data);

      Reply reply = ok(oven.execute(new Command("heat", Map.of("temperature", 185.5))));
      assertEquals(Map.of("reached", 185.5), reply.outputs());
      assertEquals(1, server.starts);
      assertEquals("Idle", oven.read("State").get());
      // The wait covered the 200 ms the oven took, not just the write.
      assertTrue(reply.elapsed().toMillis() >= 150, reply.elapsed().toString());

      // A value that is not the variable's type is refused before anything is written.
      InstrumentError e =
          fails(
              oven.execute(new Command("label", Map.of("name", "hot"))),
              InstrumentError.Refused.class);
      assertTrue(e.getMessage().contains("must be a number"), e.getMessage());
      assertEquals(1, server.starts);
      oven.close();
    }
  }
}
