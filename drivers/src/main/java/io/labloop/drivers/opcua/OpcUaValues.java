package io.labloop.drivers.opcua;

import io.labloop.drivers.support.Values;
import java.util.List;
import java.util.Locale;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;

/** Conversion between command arguments (Double, Long, String, Boolean) and OPC UA variants. */
final class OpcUaValues {

  static final List<String> TYPES =
      List.of(
          "Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
          "Float", "Double", "String");

  private OpcUaValues() {}

  /**
   * The variant for {@code value} as {@code type}; with no type, inferred from the value.
   *
   * @throws IllegalArgumentException if the value cannot be that type (text for a number, 3.5 for
   *     an Int32)
   */
  static Variant toVariant(String what, Object value, String type) {
    if (type == null) {
      if (value instanceof Double || value instanceof Float)
        return new Variant(((Number) value).doubleValue());
      if (value instanceof Long || value instanceof Integer)
        return new Variant(((Number) value).longValue());
      if (value instanceof Boolean b) return new Variant(b);
      return new Variant(String.valueOf(value));
    }
    return switch (type) {
      case "Boolean" -> new Variant(toBoolean(what, value));
      case "String" -> new Variant(Values.toText(value));
      case "Double" -> new Variant(Values.toDouble(what, value));
      case "Float" -> new Variant((float) Values.toDouble(what, value));
      case "SByte" -> new Variant((byte) whole(what, value, Byte.MIN_VALUE, Byte.MAX_VALUE));
      case "Int16" -> new Variant((short) whole(what, value, Short.MIN_VALUE, Short.MAX_VALUE));
      case "Int32" -> new Variant((int) whole(what, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case "Int64" -> new Variant(whole(what, value, Long.MIN_VALUE, Long.MAX_VALUE));
      case "Byte" -> new Variant(Unsigned.ubyte(whole(what, value, 0, 255)));
      case "UInt16" -> new Variant(Unsigned.ushort((int) whole(what, value, 0, 65_535)));
      case "UInt32" -> new Variant(Unsigned.uint(whole(what, value, 0, 4_294_967_295L)));
      case "UInt64" -> new Variant(Unsigned.ulong(whole(what, value, 0, Long.MAX_VALUE)));
      default ->
          throw new IllegalArgumentException(
              what + ": unknown type '" + type + "'; expected one of " + TYPES);
    };
  }

  /**
   * The value of a variant as Double, Long, Boolean or String; empty if it is none of the kinds a
   * measurement can be (empty, bytes, a structure, an array), which the caller reports as a bad
   * reply rather than passing a byte dump on as a result.
   */
  static java.util.Optional<Object> fromVariant(Variant v) {
    Object value = v == null ? null : v.getValue();
    if (value instanceof LocalizedText t) return java.util.Optional.ofNullable(t.getText());
    if (value instanceof Number || value instanceof Boolean || value instanceof String) {
      return java.util.Optional.of(Values.normalise(value));
    }
    return java.util.Optional.empty();
  }

  /** What a value that {@link #fromVariant} rejects is, for the error message. */
  static String kindOf(Variant v) {
    Object value = v == null ? null : v.getValue();
    if (value == null) return "empty";
    return value.getClass().isArray() ? "an array" : "a " + value.getClass().getSimpleName();
  }

  /** {@code Bad_UserAccessDenied (0x801F0000)}: the name an engineer can look up. */
  static String describe(StatusCode code) {
    String name = StatusCodes.lookup(code.getValue()).map(n -> n[0]).orElse("status");
    return name + String.format(Locale.ROOT, " (0x%08X)", code.getValue());
  }

  private static boolean toBoolean(String what, Object value) {
    if (value instanceof Boolean b) return b;
    String s = String.valueOf(value).trim();
    if (s.equalsIgnoreCase("true") || s.equals("1")) return true;
    if (s.equalsIgnoreCase("false") || s.equals("0")) return false;
    throw new IllegalArgumentException(what + " must be true or false, got '" + value + "'");
  }

  private static long whole(String what, Object value, long min, long max) {
    double d = Values.toDouble(what, value);
    if (d != Math.rint(d) || d < min || d > max) {
      throw new IllegalArgumentException(
          what
              + " must be a whole number from "
              + min
              + " to "
              + max
              + ", got "
              + Values.toText(value));
    }
    return (long) d;
  }
}
