package io.labloop.orchestrator.config;

/** Numbers in messages as the researcher wrote them: {@code 250}, not {@code 250.0}. */
final class Numbers {
  private Numbers() {}

  static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
