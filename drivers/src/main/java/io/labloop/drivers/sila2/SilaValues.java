package io.labloop.drivers.sila2;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.labloop.drivers.support.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lab values to SiLA messages and back.
 *
 * <p>Lab values are Double, Long, String and Boolean (and lists or maps of them for SiLA lists and
 * structures). A SiLA String takes any value as text; Real a number (or text that parses as one);
 * Integer a whole number; Boolean true or false; Binary text (sent as UTF-8). Back from the server,
 * Real is a Double, Integer a Long, Binary a byte array (the driver keeps it as an attachment),
 * Date, Time and Timestamp ISO-8601 text, a structure a map by element identifier, a list a list.
 */
final class SilaValues {

  private SilaValues() {}

  /** Sets {@code field} of {@code message} from a lab value. */
  static void set(DynamicMessage.Builder message, FieldDescriptor field, Object value) {
    if (field.isRepeated()) {
      List<?> items = value instanceof List<?> l ? l : List.of(value);
      for (Object item : items)
        message.addRepeatedField(field, element(field.getMessageType(), item, field.getName()));
    } else {
      message.setField(field, element(field.getMessageType(), value, field.getName()));
    }
  }

  private static DynamicMessage element(Descriptor type, Object value, String what) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    String name = type.getName();
    boolean framework = type.getFullName().startsWith("sila2.org.silastandard.");
    if (framework) {
      FieldDescriptor v = type.findFieldByName("value");
      switch (name) {
        case "String" -> b.setField(v, Values.toText(value));
        case "Real" -> b.setField(v, Values.toDouble(what, value));
        case "Integer" -> {
          double d = Values.toDouble(what, value);
          if (d != Math.rint(d))
            throw new IllegalArgumentException(what + " must be a whole number, got " + value);
          b.setField(v, (long) d);
        }
        case "Boolean" -> {
          if (value instanceof Boolean bool) b.setField(v, bool);
          else if ("true".equalsIgnoreCase(String.valueOf(value))
              || "false".equalsIgnoreCase(String.valueOf(value)))
            b.setField(v, Boolean.parseBoolean(String.valueOf(value)));
          else throw new IllegalArgumentException(what + " must be true or false, got " + value);
        }
        case "Binary" ->
            b.setField(
                v,
                ByteString.copyFrom(
                    value instanceof byte[] bytes
                        ? bytes
                        : Values.toText(value).getBytes(StandardCharsets.UTF_8)));
        default ->
            throw new IllegalArgumentException(
                what + " is a SiLA " + name + ", which this driver cannot send yet");
      }
      return b.build();
    }
    if (name.startsWith("DataType_") && type.getFields().size() == 1) {
      set(b, type.getFields().get(0), value);
      return b.build();
    }
    // a structure: a map by element identifier
    if (!(value instanceof Map<?, ?> map))
      throw new IllegalArgumentException(
          what + " is a SiLA structure; give a map of " + fieldNames(type));
    for (FieldDescriptor f : type.getFields()) {
      Object v = map.get(f.getName());
      if (v == null)
        throw new IllegalArgumentException(what + " needs element '" + f.getName() + "'");
      set(b, f, v);
    }
    return b.build();
  }

  private static List<String> fieldNames(Descriptor type) {
    return type.getFields().stream().map(FieldDescriptor::getName).toList();
  }

  /** The lab value of {@code field} in {@code message}, or null when the server left it out. */
  static Object get(Message message, FieldDescriptor field) {
    if (field.isRepeated()) {
      List<Object> out = new ArrayList<>();
      int n = message.getRepeatedFieldCount(field);
      for (int i = 0; i < n; i++) out.add(value((Message) message.getRepeatedField(field, i)));
      return out;
    }
    if (!message.hasField(field)) return null;
    return value((Message) message.getField(field));
  }

  static Object value(Message m) {
    Descriptor type = m.getDescriptorForType();
    String name = type.getName();
    if (type.getFullName().startsWith("sila2.org.silastandard.")) {
      return switch (name) {
        case "String", "Real", "Integer", "Boolean" -> m.getField(type.findFieldByName("value"));
        case "Binary" -> {
          FieldDescriptor v = type.findFieldByName("value");
          yield m.hasField(v)
              ? ((ByteString) m.getField(v)).toByteArray()
              : "binary transfer " + m.getField(type.findFieldByName("binaryTransferUUID"));
        }
        case "Date" ->
            String.format("%04d-%02d-%02d", num(m, "year"), num(m, "month"), num(m, "day"));
        case "Time" ->
            String.format("%02d:%02d:%02d", num(m, "hour"), num(m, "minute"), num(m, "second"));
        case "Timestamp" ->
            String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                num(m, "year"),
                num(m, "month"),
                num(m, "day"),
                num(m, "hour"),
                num(m, "minute"),
                num(m, "second"));
        default -> String.valueOf(m);
      };
    }
    if (name.startsWith("DataType_") && type.getFields().size() == 1)
      return get(m, type.getFields().get(0));
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldDescriptor f : type.getFields()) out.put(f.getName(), get(m, f));
    return out;
  }

  private static long num(Message m, String field) {
    Object v = m.getField(m.getDescriptorForType().findFieldByName(field));
    return v instanceof Number n ? n.longValue() : 0;
  }
}
