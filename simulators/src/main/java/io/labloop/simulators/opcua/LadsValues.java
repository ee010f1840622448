package io.labloop.simulators.opcua;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * Values in and out of the LADS devices: the Allotrope-style result document, the binary
 * KeyValueType bodies of StartProgram's Properties, and the plain numbers and texts the simulated
 * instrument takes.
 */
final class LadsValues {

  private LadsValues() {}

  /**
   * An Allotrope Simple Model style document for one run (a simplified shape of ASM's measurement
   * aggregate).
   */
  static String asm(
      String runId,
      String template,
      String sampleId,
      Map<String, Object> values,
      DateTime started) {
    StringBuilder b = new StringBuilder();
    b.append(
        "{\"$asm.manifest\":\"http://purl.allotrope.org/manifests/labloop/virtual-lab.manifest\",");
    b.append("\"device system document\":{\"model number\":\"LabLoop virtual LADS device\"},");
    b.append("\"measurement aggregate document\":{\"measurement document\":[{");
    b.append("\"measurement identifier\":").append(quote(runId)).append(',');
    b.append("\"measurement time\":")
        .append(quote(started.getJavaInstant().toString()))
        .append(',');
    b.append("\"analytical method identifier\":").append(quote(template)).append(',');
    b.append("\"sample document\":{\"sample identifier\":").append(quote(sampleId)).append("}");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!(e.getValue() instanceof Double d)) continue;
      b.append(',')
          .append(quote(e.getKey()))
          .append(":{\"value\":")
          .append(d)
          .append(",\"unit\":\"(unitless)\"}");
    }
    b.append("}]}}");
    return b.toString();
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** KeyValueType[] from their binary bodies (UA String Key, UA String Value). */
  static Map<String, Object> keyValues(Variant v) throws UaException {
    Map<String, Object> out = new LinkedHashMap<>();
    Object value = v.getValue();
    if (value == null) return out;
    if (!(value instanceof ExtensionObject[] list)) {
      throw new UaException(
          StatusCodes.Bad_TypeMismatch, "Properties must be an array of KeyValueType");
    }
    for (ExtensionObject eo : list) {
      if (!(eo.getBody() instanceof ByteString body) || body.bytes() == null) {
        throw new UaException(
            StatusCodes.Bad_TypeMismatch, "a property is not a binary-encoded KeyValueType");
      }
      ByteBuffer buf = ByteBuffer.wrap(body.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      String key = uaString(buf);
      String val = uaString(buf);
      if (key != null) out.put(key, val);
    }
    return out;
  }

  static String uaString(ByteBuffer buf) throws UaException {
    if (buf.remaining() < 4)
      throw new UaException(StatusCodes.Bad_DecodingError, "KeyValueType body too short");
    int n = buf.getInt();
    if (n < 0) return null;
    if (n > buf.remaining())
      throw new UaException(
          StatusCodes.Bad_DecodingError, "KeyValueType string longer than its body");
    byte[] b = new byte[n];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  static Object number(Object v) {
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      return v;
    }
  }

  static Object plain(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    return v == null ? "" : String.valueOf(v);
  }

  static String text(Object o, String otherwise) {
    return o == null ? otherwise : String.valueOf(o);
  }
}
