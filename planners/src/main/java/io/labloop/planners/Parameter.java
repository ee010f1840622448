package io.labloop.planners;

import java.util.List;
import java.util.Objects;

/**
 * One condition the planner may vary. Numeric values travel as {@code Double}, categorical ones as
 * {@code String}.
 */
public sealed interface Parameter
    permits Parameter.Continuous,
        Parameter.IntegerRange,
        Parameter.Discrete,
        Parameter.Categorical {

  String name();

  /** The unit a researcher wrote ({@code degC}, {@code mM}), or empty. */
  String unit();

  /** True if {@code value} is an allowed value of this parameter. */
  boolean contains(Object value);

  enum Scale {
    LINEAR,
    LOG
  }

  /** A real number in [min, max]; {@code LOG} scale means the planner explores it in log space. */
  record Continuous(String name, double min, double max, Scale scale, String unit)
      implements Parameter {
    public Continuous {
      Objects.requireNonNull(name, "name");
      if (!(min < max)) throw new IllegalArgumentException(name + ": min must be < max");
      if (scale == Scale.LOG && min <= 0)
        throw new IllegalArgumentException(name + ": log scale needs min > 0");
      scale = scale == null ? Scale.LINEAR : scale;
      unit = unit == null ? "" : unit;
    }

    public Continuous(String name, double min, double max) {
      this(name, min, max, Scale.LINEAR, "");
    }

    @Override
    public boolean contains(Object value) {
      return value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max;
    }
  }

  /** A whole number in [min, max]. */
  record IntegerRange(String name, long min, long max, String unit) implements Parameter {
    public IntegerRange {
      Objects.requireNonNull(name, "name");
      if (!(min < max)) throw new IllegalArgumentException(name + ": min must be < max");
      unit = unit == null ? "" : unit;
    }

    @Override
    public boolean contains(Object value) {
      if (!(value instanceof Number n)) return false;
      double v = n.doubleValue();
      return v == Math.rint(v) && v >= min && v <= max;
    }
  }

  /** One of a fixed list of numbers (e.g. the concentrations a stock solution allows). */
  record Discrete(String name, List<Double> values, String unit) implements Parameter {
    public Discrete {
      Objects.requireNonNull(name, "name");
      values = List.copyOf(values);
      if (values.isEmpty()) throw new IllegalArgumentException(name + ": values must not be empty");
      unit = unit == null ? "" : unit;
    }

    @Override
    public boolean contains(Object value) {
      return value instanceof Number n && values.contains(n.doubleValue());
    }
  }

  /** One of a fixed list of names (solvents, ligands, bases). */
  record Categorical(String name, List<String> values) implements Parameter {
    public Categorical {
      Objects.requireNonNull(name, "name");
      values = List.copyOf(values);
      if (values.isEmpty()) throw new IllegalArgumentException(name + ": values must not be empty");
    }

    @Override
    public String unit() {
      return "";
    }

    @Override
    public boolean contains(Object value) {
      return value instanceof String s && values.contains(s);
    }
  }
}
