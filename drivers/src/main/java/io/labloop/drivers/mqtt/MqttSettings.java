package io.labloop.drivers.mqtt;

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

/** An MQTT instrument's section, checked. */
record MqttSettings(
    String broker,
    Optional<String> clientId,
    Optional<String> username,
    Optional<String> password,
    Optional<Path> caFile,
    Duration sessionExpiry,
    Optional<String> responseTopic,
    Map<String, MqttCommand> commands) {

  /** One output: its name in the reply and the dotted path of the JSON field it comes from. */
  record Output(String name, List<String> path) {}

  record MqttCommand(
      String name,
      String requestTopic,
      Optional<Object> payload,
      List<Output> outputs,
      String errorField,
      Optional<String> responseTopic,
      CommandPolicy policy) {}

  /** Never shows the password, wherever a record ends up printed. */
  @Override
  public String toString() {
    return "MqttSettings[broker="
        + broker
        + ", clientId="
        + clientId.orElse("")
        + ", username="
        + username.orElse("")
        + ", password="
        + (password.isPresent() ? "***" : "")
        + ", commands="
        + commands.keySet()
        + "]";
  }

  /** What identifies a shared connection: same broker, same client, same user, same TLS trust. */
  String bridgeKey() {
    return "mqtt "
        + broker
        + " "
        + clientId.orElse("")
        + " "
        + username.orElse("")
        + " "
        + caFile.map(Path::toString).orElse("");
  }

  static MqttSettings read(Section s) {
    s.allowOnly(
        CommonKeys.instrumentPlus(
            List.of(
                "broker",
                "client-id",
                "username",
                "password",
                "tls",
                "session-expiry",
                "response-topic",
                "commands")));
    String broker =
        s.requiredString("broker", "the broker URL, e.g. tcp://127.0.0.1:1883")
            .orElse("tcp://127.0.0.1:1883");
    if (!broker.matches("(tcp|ssl)://[^/:]+(:\\d+)?/?")) {
      s.problem(
          "broker",
          "'" + broker + "' is not a broker URL; expected tcp://host:port or ssl://host:port");
    }
    Optional<String> clientId = s.string("client-id");
    Optional<String> username = s.string("username");
    Optional<String> password = s.string("password");
    if (password.isPresent() && username.isEmpty())
      s.problem("password", "a password needs a 'username'");
    Optional<Path> ca =
        s.section("tls")
            .flatMap(
                t -> {
                  t.allowOnly(List.of("ca"));
                  return t.string("ca").map(Path::of);
                });
    if (ca.isPresent() && broker.startsWith("tcp://"))
      s.problem("tls", "TLS settings need an ssl:// broker URL");
    Duration expiry = s.duration("session-expiry").orElse(Duration.ofMinutes(5));
    Optional<String> responseTopic = s.string("response-topic");
    responseTopic.ifPresent(t -> checkTopic(s, "response-topic", t));
    Map<String, MqttCommand> commands = new LinkedHashMap<>();
    s.section("commands")
        .ifPresentOrElse(
            cs -> {
              for (String name : cs.keys())
                cs.section(name)
                    .ifPresent(c -> commands.put(name, readCommand(name, c, responseTopic)));
            },
            () -> s.problem(null, "missing 'commands' (what the instrument can be asked to do)"));
    return new MqttSettings(
        broker, clientId, username, password, ca, expiry, responseTopic, commands);
  }

  private static MqttCommand readCommand(
      String name, Section c, Optional<String> instrumentResponseTopic) {
    c.allowOnly(CommonKeys.commandPlus(List.of("request", "payload", "error", "response-topic")));
    String request =
        c.requiredString("request", "the topic the request is published to").orElse("");
    checkTopic(c, "request", request);
    Optional<Object> payload = Optional.ofNullable(c.raw("payload"));
    payload.ifPresent(p -> c.parsed("payload", p, Template::namesInTree));
    List<Output> outputs =
        c.list("outputs").orElse(List.of()).stream()
            .map(
                o -> {
                  if (o instanceof Map<?, ?> m) {
                    String n = String.valueOf(m.get("name"));
                    String path = m.get("path") == null ? n : String.valueOf(m.get("path"));
                    return new Output(n, List.of(path.split("\\.")));
                  }
                  String n = String.valueOf(o);
                  return new Output(n, List.of(n.split("\\.")));
                })
            .toList();
    String errorField = c.string("error").orElse("error");
    Optional<String> responseTopic = c.string("response-topic").or(() -> instrumentResponseTopic);
    responseTopic.ifPresent(t -> checkTopic(c, "response-topic", t));
    return new MqttCommand(
        name, request, payload, outputs, errorField, responseTopic, CommandPolicy.read(c));
  }

  private static void checkTopic(Section s, String key, String topic) {
    if (topic.contains("+") || topic.contains("#")) {
      s.problem(
          key,
          "'"
              + topic
              + "' contains a wildcard; a request or response topic must be one exact topic");
    }
  }
}
