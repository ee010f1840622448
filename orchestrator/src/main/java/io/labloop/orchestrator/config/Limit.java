package io.labloop.orchestrator.config;

import java.util.OptionalDouble;

/**
 * A safe range of one argument of an instrument ({@code limits: { temperature: { min: 20, max: 250
 * } }}). Checked by the orchestrator before any command leaves it.
 */
public record Limit(String argument, OptionalDouble min, OptionalDouble max) {

  /** Empty if {@code value} is within the limit, else a message naming the limit. */
  public java.util.Optional<String> violation(String instrument, double value) {
    if (min.isPresent() && value < min.getAsDouble()) {
      return java.util.Optional.of(
          instrument
              + " limit "
              + argument
              + " >= "
              + fmt(min.getAsDouble())
              + " violated: "
              + fmt(value));
    }
    if (max.isPresent() && value > max.getAsDouble()) {
      return java.util.Optional.of(
          instrument
              + " limit "
              + argument
              + " <= "
              + fmt(max.getAsDouble())
              + " violated: "
              + fmt(value));
    }
    return java.util.Optional.empty();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
