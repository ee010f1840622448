package io.labloop.orchestrator.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of requests and replies between a daemon and an agent (see {@link AgentTopics}).
 *
 * <p>A reply is {@code {"ok":true,"outputs":{...},"attachments":[{"name","media-type","data"
 * (Base64)}],"started":ISO,"elapsed-ms":N}} (plus {@code "value"} for a read, and {@code
 * "from-journal":true} when the agent answered a repeated key from its journal), or {@code
 * {"ok":false,"kind":KIND,"message":TEXT}} with KIND one of {@link InstrumentError#kind()}. Numbers
 * come back as Double, whole numbers as Long, as the drivers give them.
 */
final class AgentMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentMessages() {}

  static byte[] write(Map<String, Object> tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(Map<String, Object> tree) {
    return new String(write(tree), StandardCharsets.UTF_8);
  }

  /**
   * @throws IOException if it is not a JSON object
   */
  static Map<String, Object> read(byte[] payload) throws IOException {
    return JSON.readValue(payload, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  static Map<String, Object> readLine(String line) throws IOException {
    return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  static Map<String, Object> ok(Reply reply) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", true);
    m.put("outputs", reply.outputs());
    List<Map<String, Object>> files = new ArrayList<>();
    for (Reply.Attachment a : reply.attachments()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("name", a.name());
      f.put("media-type", a.mediaType());
      f.put("data", Base64.getEncoder().encodeToString(a.data()));
      files.add(f);
    }
    m.put("attachments", files);
    m.put("started", reply.started().toString());
    m.put("elapsed-ms", reply.elapsed().toMillis());
    return m;
  }

  static Map<String, Object> failed(String kind, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ok", false);
    m.put("kind", kind);
    m.put("message", message);
    return m;
  }

  /** An error's own text, without the {@code instrument.command: } its message starts with. */
  static Map<String, Object> failed(InstrumentError e) {
    String prefix = e.instrument() + "." + e.command() + ": ";
    String m = String.valueOf(e.getMessage());
    return failed(e.kind(), m.startsWith(prefix) ? m.substring(prefix.length()) : m);
  }

  @SuppressWarnings("unchecked")
  static Reply reply(String command, Map<String, Object> m) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    if (m.get("outputs") instanceof Map<?, ?> o)
      ((Map<String, Object>) o).forEach((k, v) -> outputs.put(k, value(v)));
    List<Reply.Attachment> files = new ArrayList<>();
    if (m.get("attachments") instanceof List<?> l) {
      for (Object item : l) {
        if (item instanceof Map<?, ?> f)
          files.add(
              new Reply.Attachment(
                  String.valueOf(f.get("name")),
                  String.valueOf(f.get("media-type")),
                  Base64.getDecoder().decode(String.valueOf(f.get("data")))));
      }
    }
    Instant started = m.get("started") instanceof String s ? Instant.parse(s) : Instant.now();
    long elapsed = m.get("elapsed-ms") instanceof Number n ? n.longValue() : 0;
    return new Reply(command, outputs, files, started, Duration.ofMillis(elapsed));
  }

  /** JSON numbers as the drivers give them: Double, or Long for whole numbers. */
  static Object value(Object v) {
    if (v instanceof Integer i) return i.longValue();
    if (v instanceof Float f) return f.doubleValue();
    if (v instanceof java.math.BigDecimal d) return d.doubleValue();
    if (v instanceof java.math.BigInteger b) return b.longValue();
    return v;
  }

  static Map<String, Object> arguments(Object tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (tree instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
    return out;
  }

  /** The error a failed reply stands for, as the drivers would have raised it. */
  static InstrumentError error(String instrument, String command, Map<String, Object> m) {
    String message = String.valueOf(m.getOrDefault("message", "failed on the agent"));
    return switch (String.valueOf(m.get("kind"))) {
      case "timeout" -> new InstrumentError.Timeout(instrument, command, message);
      case "refused" -> new InstrumentError.Refused(instrument, command, message);
      case "bad-reply" -> new InstrumentError.BadReply(instrument, command, message);
      case "limit" -> new InstrumentError.LimitViolation(instrument, command, message);
      case "interrupted" -> new InstrumentError.Interrupted(instrument, command, message);
      default -> new InstrumentError.Disconnected(instrument, command, message, null);
    };
  }
}
