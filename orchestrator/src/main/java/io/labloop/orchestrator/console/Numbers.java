package io.labloop.orchestrator.console;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as a person reads them: four significant digits, no exponent for lab-sized values. */
public final class Numbers {
  private Numbers() {}

  public static String format(double v) {
    if (Double.isNaN(v)) return "–";
    if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
    if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e9)
      return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    return String.format(java.util.Locale.ROOT, "%.3g", v);
  }
}
