package io.labloop.drivers.support;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns what an instrument sent into the typed values a {@link io.labloop.drivers.Reply} carries:
 * text that reads as a number becomes a {@link Double} (so {@code 520} and {@code 520.0} compare
 * equal downstream), {@code true}/{@code false} a {@link Boolean}, anything else stays text.
 * Numbers from binary protocols keep their kind: integers become {@link Long}, floating point
 * {@link Double}.
 */
public final class Values {

  // Deliberately stricter than Double.parseDouble: "NaN", "Infinity" and hex floats stay text,
  // because an instrument that sends them is reporting something a planner must not average.
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Values() {}

  /** The typed value of one field of a text reply. */
  public static @Nullable Object fromText(@Nullable String text) {
    if (text == null) return null;
    String t = text.trim();
    if (NUMBER.matcher(t).matches()) return Double.parseDouble(t);
    if (t.equalsIgnoreCase("true")) return Boolean.TRUE;
    if (t.equalsIgnoreCase("false")) return Boolean.FALSE;
    return t;
  }

  /**
   * Normalises a value decoded by a protocol library (JSON, OPC UA variants) to Double, Long,
   * Boolean or String.
   */
  public static @Nullable Object normalise(@Nullable Object value) {
    if (value == null) return null;
    if (value instanceof Double
        || value instanceof Long
        || value instanceof Boolean
        || value instanceof String) {
      return value;
    }
    if (value instanceof Float f) return f.doubleValue();
    if (value instanceof java.math.BigDecimal d) return d.doubleValue();
    if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof java.math.BigInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      // OPC UA unsigned types (UByte, UShort, UInteger, ULong) are Numbers too.
      return n.longValue();
    }
    return value.toString();
  }

  /** A number for a template or a protocol argument, or an error naming what was wrong. */
  public static double toDouble(String what, Object value) {
    if (value instanceof Number n) return n.doubleValue();
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(what + " must be a number, got '" + value + "'");
  }

  /** Renders a value for a text protocol: whole doubles without a trailing {@code .0}. */
  public static String toText(Object value) {
    if (value instanceof Double d && !d.isInfinite() && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    if (value instanceof Float f && f == Math.rint(f) && Math.abs(f) < 1e7) {
      return Long.toString(f.longValue());
    }
    return String.valueOf(value);
  }
}
