package io.labloop.drivers.opcua;

import io.labloop.drivers.support.CommandPolicy;
import io.labloop.drivers.support.CommonKeys;
import io.labloop.drivers.support.Template;
import io.labloop.settings.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** An OPC UA instrument's section, checked: node ids parsed, types known, templates valid. */
record OpcUaSettings(
    String endpoint,
    Security security,
    Map<String, NodeId> variables,
    Map<String, OpcUaCommand> commands) {

  static final List<String> POLICIES = List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep");
  static final List<String> MODES = List.of("Sign", "SignAndEncrypt");

  record Security(
      String policy,
      String mode,
      Optional<String> username,
      Optional<String> password,
      Path trustDir) {
    boolean none() {
      return policy.equals("None");
    }

    /** Never shows the password, wherever a record ends up printed. */
    @Override
    public String toString() {
      return "Security[policy="
          + policy
          + ", mode="
          + mode
          + ", username="
          + username.orElse("")
          + ", password="
          + (password.isPresent() ? "***" : "")
          + ", trustDir="
          + trustDir
          + "]";
    }
  }

  /** A value to write: a node, a template for the value, and the OPC UA type (or null to infer). */
  record Write(NodeId node, Object value, String type) {}

  /** A method argument: the command argument it comes from and its type (or null to infer). */
  record Input(String name, String type) {}

  record Until(NodeId node, String equals) {}

  record OpcUaCommand(
      String name,
      List<Write> writes,
      Optional<NodeId> object,
      Optional<NodeId> method,
      List<Input> inputs,
      List<String> methodOutputs,
      Optional<Write> trigger,
      Optional<Until> until,
      Map<String, NodeId> reads,
      CommandPolicy policy) {}

  /** What identifies a shared session: same server, same security, same user. */
  String bridgeKey() {
    return "opcua "
        + endpoint
        + " "
        + security.policy()
        + " "
        + security.mode()
        + " "
        + security.username().orElse("");
  }

  static OpcUaSettings read(Section s, Path dataDir) {
    s.allowOnly(
        CommonKeys.instrumentPlus(List.of("endpoint", "security", "variables", "commands")));
    String endpoint =
        s.requiredString("endpoint", "the server's URL, e.g. opc.tcp://127.0.0.1:4840/labloop")
            .orElse("opc.tcp://invalid");
    if (!endpoint.startsWith("opc.tcp://"))
      s.problem(
          "endpoint",
          "'" + endpoint + "' is not an OPC UA endpoint; expected opc.tcp://host:port/path");
    Security security =
        s.section("security")
            .map(sec -> readSecurity(sec, dataDir))
            .orElse(
                new Security(
                    "None",
                    "None",
                    Optional.empty(),
                    Optional.empty(),
                    dataDir.resolve("opcua").resolve("pki")));
    Map<String, NodeId> variables = new LinkedHashMap<>();
    s.section("variables")
        .ifPresent(
            v -> {
              for (String name : v.keys())
                nodeId(v, name, v.raw(name)).ifPresent(id -> variables.put(name, id));
            });
    Map<String, OpcUaCommand> commands = new LinkedHashMap<>();
    s.section("commands")
        .ifPresentOrElse(
            cs -> {
              for (String name : cs.keys())
                cs.section(name).ifPresent(c -> commands.put(name, readCommand(name, c)));
            },
            () -> s.problem(null, "missing 'commands' (what the instrument can be asked to do)"));
    return new OpcUaSettings(endpoint, security, variables, commands);
  }

  static Security readSecurity(Section s, Path dataDir) {
    s.allowOnly(List.of("policy", "mode", "username", "password", "trust-dir"));
    String policy = s.choice("policy", POLICIES).orElse("None");
    String mode = policy.equals("None") ? "None" : s.choice("mode", MODES).orElse("SignAndEncrypt");
    if (policy.equals("None") && s.has("mode"))
      s.problem("mode", "a mode needs a security policy other than None");
    Optional<String> username = s.string("username");
    Optional<String> password = s.string("password");
    if (username.isPresent() != password.isPresent())
      s.problem(null, "give both 'username' and 'password', or neither");
    Path trust =
        s.string("trust-dir").map(Path::of).orElse(dataDir.resolve("opcua").resolve("pki"));
    return new Security(policy, mode, username, password, trust);
  }

  private static OpcUaCommand readCommand(String name, Section c) {
    c.allowOnly(CommonKeys.commandPlus(List.of("method", "inputs", "write", "trigger", "until")));
    List<Write> writes = new ArrayList<>();
    c.list("write")
        .ifPresent(
            list -> {
              for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> m)
                  readWrite(c.child(m, "write", i)).ifPresent(writes::add);
                else
                  c.problem("write", "item " + i + " must be { node: ..., value: ..., type: ... }");
              }
            });
    Optional<NodeId> object = Optional.empty();
    Optional<NodeId> method = Optional.empty();
    Optional<Section> m = c.section("method");
    if (m.isPresent()) {
      m.get().allowOnly(List.of("object", "method"));
      object =
          m.get()
              .requiredString("object", "the node id of the object the method belongs to")
              .flatMap(v -> nodeId(m.get(), "object", v));
      method =
          m.get()
              .requiredString("method", "the node id of the method")
              .flatMap(v -> nodeId(m.get(), "method", v));
    }
    List<Input> inputs = new ArrayList<>();
    c.list("inputs")
        .ifPresent(
            list -> {
              if (m.isEmpty())
                c.problem(
                    "inputs", "inputs are the arguments of a 'method'; this command has none");
              for (Object entry : list) {
                String type =
                    entry instanceof Map<?, ?> e && e.get("type") != null
                        ? String.valueOf(e.get("type"))
                        : null;
                if (type != null && !OpcUaValues.TYPES.contains(type))
                  c.problem(
                      "inputs",
                      "unknown type '" + type + "'; expected one of " + OpcUaValues.TYPES);
                inputs.add(new Input(Section.outputName(entry), type));
              }
            });
    Optional<Write> trigger = c.section("trigger").flatMap(OpcUaSettings::readWrite);
    Optional<Until> until =
        c.section("until")
            .flatMap(
                u -> {
                  u.allowOnly(List.of("node", "equals"));
                  Optional<NodeId> node =
                      u.requiredString("node", "the variable to watch")
                          .flatMap(v -> nodeId(u, "node", v));
                  Optional<String> equals = u.requiredString("equals", "the value to wait for");
                  return node.flatMap(n -> equals.map(e -> new Until(n, e)));
                });
    List<String> methodOutputs = new ArrayList<>();
    Map<String, NodeId> reads = new LinkedHashMap<>();
    c.list("outputs")
        .ifPresent(
            list -> {
              for (Object entry : list) {
                if (entry instanceof Map<?, ?> e && e.get("node") != null) {
                  nodeId(c, "outputs", e.get("node"))
                      .ifPresent(id -> reads.put(Section.outputName(entry), id));
                } else {
                  methodOutputs.add(Section.outputName(entry));
                }
              }
            });
    if (!methodOutputs.isEmpty() && m.isEmpty()) {
      c.problem(
          "outputs",
          "outputs without 'node' are a method's output arguments; this command calls no method "
              + "(give { name: ..., node: ... } to read a variable instead)");
    }
    if (writes.isEmpty()
        && m.isEmpty()
        && trigger.isEmpty()
        && until.isEmpty()
        && reads.isEmpty()) {
      c.problem(
          null,
          "the command does nothing; give at least one of method, write, trigger, until, outputs");
    }
    return new OpcUaCommand(
        name,
        writes,
        object,
        method,
        inputs,
        methodOutputs,
        trigger,
        until,
        reads,
        CommandPolicy.read(c));
  }

  private static Optional<Write> readWrite(Section w) {
    w.allowOnly(List.of("node", "value", "type"));
    Optional<NodeId> node =
        w.requiredString("node", "the variable to write").flatMap(v -> nodeId(w, "node", v));
    if (!w.has("value"))
      w.problem(null, "missing 'value' (what to write, e.g. \"{temperature}\" or true)");
    Object value = w.raw("value");
    if (value instanceof String text) w.parsed("value", text, x -> Template.parse((String) x));
    String type = w.string("type").orElse(null);
    if (type != null && !OpcUaValues.TYPES.contains(type))
      w.problem("type", "unknown type '" + type + "'; expected one of " + OpcUaValues.TYPES);
    return node.map(n -> new Write(n, value, type));
  }

  private static Optional<NodeId> nodeId(Section s, String key, Object text) {
    Optional<NodeId> id = NodeId.parseSafe(String.valueOf(text));
    if (id.isEmpty())
      s.problem(
          key, "'" + text + "' is not a node id; expected e.g. ns=2;s=Robot.Door or ns=2;i=1001");
    return id;
  }
}
