package io.labloop.planners;

import java.util.Objects;

/** What the campaign wants of one measured quantity. */
public sealed interface Objective permits Objective.Maximize, Objective.Minimize, Objective.Target {

  String name();

  /**
   * The value turned into a loss that is smaller when better: {@code -v} for maximise, {@code v}
   * for minimise, {@code |v - value|} for a target. Planners optimise this.
   */
  double loss(double value);

  /**
   * The campaign's {@code worst-acceptable:} value, NaN if none: for maximise the lowest value
   * worth having, for minimise the highest, for a target the largest distance from it. Several
   * objectives: it bounds the hypervolume's reference point (see {@link #worstLoss}).
   */
  double worstAcceptable();

  /** {@link #worstAcceptable} as a loss, NaN if none. */
  default double worstLoss() {
    double w = worstAcceptable();
    if (Double.isNaN(w)) return Double.NaN;
    return this instanceof Target ? w : loss(w);
  }

  /** True if {@code value} satisfies the objective well enough to stop ({@code target reached}). */
  default boolean reached(double value, double threshold) {
    return loss(value) <= threshold;
  }

  record Maximize(String name, double worstAcceptable) implements Objective {
    public Maximize {
      Objects.requireNonNull(name, "name");
    }

    public Maximize(String name) {
      this(name, Double.NaN);
    }

    @Override
    public double loss(double value) {
      return -value;
    }
  }

  record Minimize(String name, double worstAcceptable) implements Objective {
    public Minimize {
      Objects.requireNonNull(name, "name");
    }

    public Minimize(String name) {
      this(name, Double.NaN);
    }

    @Override
    public double loss(double value) {
      return value;
    }
  }

  /** Get within {@code tolerance} of {@code value}. */
  record Target(String name, double value, double tolerance, double worstAcceptable)
      implements Objective {
    public Target {
      Objects.requireNonNull(name, "name");
      if (!(tolerance >= 0)) throw new IllegalArgumentException(name + ": tolerance must be >= 0");
    }

    public Target(String name, double value, double tolerance) {
      this(name, value, tolerance, Double.NaN);
    }

    @Override
    public double loss(double v) {
      return Math.abs(v - value);
    }

    /** Within tolerance of the target. */
    public boolean within(double v) {
      return Math.abs(v - value) <= tolerance;
    }
  }
}
