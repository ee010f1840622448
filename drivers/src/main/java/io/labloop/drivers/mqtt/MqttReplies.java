package io.labloop.drivers.mqtt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.Reply;
import io.labloop.drivers.mqtt.MqttSettings.MqttCommand;
import io.labloop.drivers.mqtt.MqttSettings.Output;
import io.labloop.drivers.support.CommandRunner.Outcome;
import io.labloop.drivers.support.Values;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a JSON reply into outputs, a refusal or a bad reply. */
final class MqttReplies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MqttReplies() {}

  /** Reads the JSON reply: an error field means refused; outputs are taken by their field paths. */
  static Outcome parse(String name, MqttCommand cmd, byte[] bytes) throws InstrumentError {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Object tree;
    try {
      tree = JSON.readValue(bytes, Object.class);
    } catch (java.io.IOException e) {
      throw new InstrumentError.BadReply(
          name, cmd.name(), "the reply is not JSON: '" + abbreviate(text) + "'");
    }
    if (!(tree instanceof Map<?, ?> root)) {
      throw new InstrumentError.BadReply(
          name, cmd.name(), "the reply is not a JSON object: '" + abbreviate(text) + "'");
    }
    Object error = root.get(cmd.errorField());
    if (error != null && !Boolean.FALSE.equals(error) && !"".equals(error)) {
      throw new InstrumentError.Refused(
          name, cmd.name(), "the instrument answered " + cmd.errorField() + ": " + error);
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    for (Output out : cmd.outputs()) {
      Object v = at(root, out.path());
      if (v == null) {
        throw new InstrumentError.BadReply(
            name,
            cmd.name(),
            "the reply has no field '"
                + String.join(".", out.path())
                + "' for output '"
                + out.name()
                + "': '"
                + abbreviate(text)
                + "'");
      }
      if (v instanceof Map || v instanceof List) {
        throw new InstrumentError.BadReply(
            name,
            cmd.name(),
            "field '"
                + String.join(".", out.path())
                + "' is not a single value: '"
                + abbreviate(text)
                + "'");
      }
      Object value = Values.normalise(v);
      // JSON integers are still measurements: report numbers as Double, like every other driver.
      outputs.put(out.name(), value instanceof Long l ? Double.valueOf(l) : value);
    }
    return new Outcome(outputs, List.of(new Reply.Attachment("reply", "application/json", bytes)));
  }

  private static Object at(Map<?, ?> root, List<String> path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(key);
    }
    return node;
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }
}
