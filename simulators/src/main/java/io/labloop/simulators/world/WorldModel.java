package io.labloop.simulators.world;

import java.util.List;
import java.util.Map;

/**
 * How the world responds: the true properties of a sample made under given conditions. A model is a
 * pure function (no noise, no state); noise and drift belong to the instruments that measure.
 */
public interface WorldModel {

  /** Names of the conditions a synthesis takes, in the order a method call passes them. */
  List<String> inputs();

  /** Inputs that take one of a few names rather than a number, with the names allowed. */
  Map<String, List<String>> categories();

  /** Names of the properties every sample has. */
  List<String> outputs();

  /**
   * The true properties of a sample made under {@code conditions} (numbers as {@link Number},
   * categorical inputs as {@link String}).
   *
   * @throws IllegalArgumentException naming the input that is missing or of the wrong kind
   */
  Map<String, Double> evaluate(Map<String, Object> conditions);

  /** Reads a numeric input, with a message a user can act on when it is missing or not a number. */
  static double number(Map<String, Object> conditions, String name) {
    Object value = conditions.get(name);
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + name + "' must be a number, got '" + s + "'");
      }
    }
    throw new IllegalArgumentException(
        value == null
            ? "missing input '" + name + "'"
            : "'" + name + "' must be a finite number, got " + value);
  }

  /** Reads a categorical input and checks it is one of the allowed names. */
  static String category(Map<String, Object> conditions, String name, List<String> allowed) {
    Object value = conditions.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing input '" + name + "'");
    }
    String text = String.valueOf(value).trim();
    if (!allowed.contains(text)) {
      throw new IllegalArgumentException(
          "'" + name + "' must be one of " + allowed + ", got '" + text + "'");
    }
    return text;
  }
}
