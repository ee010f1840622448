package io.labloop.drivers.opcua;

import io.labloop.drivers.support.CommandPolicy;
import io.labloop.drivers.support.CommonKeys;
import io.labloop.drivers.support.Template;
import io.labloop.settings.Section;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A LADS instrument's section, checked: {@code endpoint} and {@code security} as for {@code driver:
 * opcua}, optionally {@code device} and {@code functional-unit} (browse names; by default the first
 * LADS device under DeviceSet and its first functional unit), {@code variables} (name to {@code
 * state} or a function's browse name in the unit's FunctionSet; {@code State} reads the state
 * machine without being listed), {@code poll} (how often a running program's result is looked for,
 * default 50ms), and {@code commands}, each either {@code program: TEMPLATE_ID} with {@code
 * properties} (key to template) or {@code method: Start | Stop | Abort} on the unit's state
 * machine.
 */
record LadsSettings(
    OpcUaSettings.Security security,
    String endpoint,
    Optional<String> device,
    Optional<String> unit,
    Map<String, String> variables,
    Duration poll,
    Map<String, LadsCommand> commands) {

  static final List<String> METHODS = List.of("Start", "Stop", "Abort");

  /** A configured command: a program run, or a call of a state machine method. */
  sealed interface LadsCommand permits Program, StateMethod {
    String name();

    CommandPolicy policy();
  }

  /**
   * @param properties key to value template ({@code "{sampleId}"}), sent as LADS KeyValueType pairs
   * @param files whether the result's files (e.g. Allotrope documents) come back as attachments
   */
  record Program(
      String name,
      String templateId,
      Map<String, Object> properties,
      boolean files,
      CommandPolicy policy)
      implements LadsCommand {}

  record StateMethod(String name, String method, CommandPolicy policy) implements LadsCommand {}

  /**
   * The OPC UA session settings: LADS instruments share sessions with opcua instruments on the same
   * server.
   */
  OpcUaSettings session() {
    return new OpcUaSettings(endpoint, security, Map.of(), Map.of());
  }

  static LadsSettings read(Section s, Path dataDir) {
    s.allowOnly(
        CommonKeys.instrumentPlus(
            List.of(
                "endpoint",
                "security",
                "device",
                "functional-unit",
                "variables",
                "poll",
                "commands")));
    String endpoint =
        s.requiredString("endpoint", "the LADS server's URL, e.g. opc.tcp://127.0.0.1:4840/lads")
            .orElse("opc.tcp://invalid");
    if (!endpoint.startsWith("opc.tcp://"))
      s.problem(
          "endpoint",
          "'" + endpoint + "' is not an OPC UA endpoint; expected opc.tcp://host:port/path");
    OpcUaSettings.Security security =
        s.section("security")
            .map(sec -> OpcUaSettings.readSecurity(sec, dataDir))
            .orElse(
                new OpcUaSettings.Security(
                    "None",
                    "None",
                    Optional.empty(),
                    Optional.empty(),
                    dataDir.resolve("opcua").resolve("pki")));
    Map<String, String> variables = new LinkedHashMap<>();
    s.section("variables")
        .ifPresent(
            v -> {
              for (String name : v.keys())
                v.string(name).ifPresent(target -> variables.put(name, target));
            });
    Duration poll = s.duration("poll").orElse(Duration.ofMillis(50));
    Map<String, LadsCommand> commands = new LinkedHashMap<>();
    s.section("commands")
        .ifPresentOrElse(
            cs -> {
              for (String name : cs.keys())
                cs.section(name)
                    .ifPresent(c -> readCommand(name, c).ifPresent(cmd -> commands.put(name, cmd)));
            },
            () ->
                s.problem(
                    null, "missing 'commands' (the programs the device can be asked to run)"));
    return new LadsSettings(
        security,
        endpoint,
        s.string("device"),
        s.string("functional-unit"),
        variables,
        poll,
        commands);
  }

  private static Optional<LadsCommand> readCommand(String name, Section c) {
    c.allowOnly(CommonKeys.commandPlus(List.of("program", "properties", "files", "method")));
    CommandPolicy policy = CommandPolicy.read(c);
    if (c.has("program") == c.has("method")) {
      c.problem(
          null,
          "give either 'program' (a program template id to start) or 'method' (one of "
              + METHODS
              + ")");
      return Optional.empty();
    }
    if (c.has("method")) {
      if (c.has("properties"))
        c.problem("properties", "properties go with a 'program', not a 'method'");
      return c.choice("method", METHODS).map(m -> new StateMethod(name, m, policy));
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    c.section("properties")
        .ifPresent(
            p -> {
              for (String key : p.keys()) {
                Object v = p.raw(key);
                if (v instanceof String text) p.parsed(key, text, x -> Template.parse((String) x));
                properties.put(key, v);
              }
            });
    return c.requiredString("program", "the program template id")
        .map(id -> new Program(name, id, properties, c.flag("files", true), policy));
  }
}
