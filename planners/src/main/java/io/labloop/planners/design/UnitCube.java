package io.labloop.planners.design;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the points of a {@link Space} to and from the unit cube [0, 1]^d in which planners search: a
 * continuous parameter takes one column (in log space for log-scale ones), an integer or discrete
 * one takes one column and is rounded to the nearest allowed value on decoding, and a categorical
 * one takes one column per value (one-hot; decoding picks the largest).
 *
 * <p>The "hot" value of a one-hot column is {@value #HOT} = 1/√2, not 1, so that two different
 * values of a categorical parameter are at distance 1, as are the two ends of a continuous
 * parameter. A model's length-scale then means the same for every kind of parameter (its prior, set
 * for the unit cube, holds for categoricals too), and every pair of values is equally far apart:
 * the kernel on a categorical parameter is exchangeable (it sees only "same or different"), which
 * is all one-hot data can tell. With 1, distinct values would sit √2 apart and look less alike than
 * the two extremes of any continuous parameter.
 *
 * <p>The Bayesian planner's Gaussian process does not measure distances in these columns: it reads
 * a categorical parameter's value from them (the largest coordinate) and compares values with a
 * categorical kernel. The 1/√2 scale matters to anything that does use distances in the cube, such
 * as the feasibility model.
 *
 * <p>{@link #snap(double[])} rounds a cube position to the point that would actually be run and
 * encodes it again, so that a model only ever sees positions that can be made.
 */
public final class UnitCube {

  /** Coordinate of a categorical parameter's value in its own one-hot column. */
  public static final double HOT = 0.7071067811865476;

  private final List<Parameter> parameters;
  private final int[] offset;
  private final int dimension;
  private final List<String> columns;

  public UnitCube(Space space) {
    this.parameters = space.parameters();
    this.offset = new int[parameters.size()];
    List<String> cols = new ArrayList<>();
    int d = 0;
    for (int i = 0; i < parameters.size(); i++) {
      offset[i] = d;
      Parameter p = parameters.get(i);
      if (p instanceof Parameter.Categorical c) {
        for (String v : c.values()) cols.add(p.name() + "=" + v);
        d += c.values().size();
      } else {
        cols.add(p.name());
        d += 1;
      }
    }
    this.dimension = d;
    this.columns = List.copyOf(cols);
  }

  /**
   * For each coordinate, the index of the parameter it belongs to (the one-hot columns of a
   * categorical parameter share one).
   */
  public int[] parameterOfColumn() {
    int[] out = new int[dimension];
    for (int i = 0; i < parameters.size(); i++) {
      int end = i + 1 < parameters.size() ? offset[i + 1] : dimension;
      for (int j = offset[i]; j < end; j++) out[j] = i;
    }
    return out;
  }

  /** For each parameter (in the space's order), whether it is categorical (one-hot columns). */
  public boolean[] categoricalParameters() {
    boolean[] out = new boolean[parameters.size()];
    for (int i = 0; i < out.length; i++)
      out[i] = parameters.get(i) instanceof Parameter.Categorical;
    return out;
  }

  /** Number of cube coordinates. */
  public int dimension() {
    return dimension;
  }

  /** A name per coordinate: the parameter name, or {@code name=value} for one-hot columns. */
  public List<String> columns() {
    return columns;
  }

  public double[] encode(Point point) {
    double[] u = new double[dimension];
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      int o = offset[i];
      if (p instanceof Parameter.Continuous c) {
        u[o] =
            c.scale() == Parameter.Scale.LOG
                ? (Math.log(point.number(c.name())) - Math.log(c.min()))
                    / (Math.log(c.max()) - Math.log(c.min()))
                : (point.number(c.name()) - c.min()) / (c.max() - c.min());
      } else if (p instanceof Parameter.IntegerRange r) {
        u[o] = (point.number(r.name()) - r.min()) / (double) (r.max() - r.min());
      } else if (p instanceof Parameter.Discrete ds) {
        u[o] = discretePosition(ds, point.number(ds.name()));
      } else if (p instanceof Parameter.Categorical cat) {
        int k = cat.values().indexOf(point.text(cat.name()));
        if (k < 0)
          throw new IllegalArgumentException(
              cat.name() + ": unknown value '" + point.text(cat.name()) + "'");
        u[o + k] = HOT;
      }
    }
    return u;
  }

  public Point decode(double[] u) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      int o = offset[i];
      double x = clamp(u[o]);
      if (p instanceof Parameter.Continuous c) {
        double v =
            c.scale() == Parameter.Scale.LOG
                ? Math.exp(Math.log(c.min()) + x * (Math.log(c.max()) - Math.log(c.min())))
                : c.min() + x * (c.max() - c.min());
        values.put(c.name(), Math.min(c.max(), Math.max(c.min(), v)));
      } else if (p instanceof Parameter.IntegerRange r) {
        values.put(r.name(), (double) Math.round(r.min() + x * (r.max() - r.min())));
      } else if (p instanceof Parameter.Discrete ds) {
        values.put(ds.name(), nearest(ds, x));
      } else if (p instanceof Parameter.Categorical cat) {
        int best = 0;
        for (int k = 1; k < cat.values().size(); k++) if (u[o + k] > u[o + best]) best = k;
        values.put(cat.name(), cat.values().get(best));
      }
    }
    return new Point(values);
  }

  /** The cube position of the point {@code u} decodes to. */
  public double[] snap(double[] u) {
    return encode(decode(u));
  }

  private static double clamp(double x) {
    return Double.isNaN(x) ? 0.5 : Math.min(1, Math.max(0, x));
  }

  private static double discretePosition(Parameter.Discrete p, double v) {
    double lo = p.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double hi = p.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return hi > lo ? (v - lo) / (hi - lo) : 0.5;
  }

  private static double nearest(Parameter.Discrete p, double x) {
    double best = p.values().get(0);
    double bestDistance = Double.POSITIVE_INFINITY;
    for (double v : p.values()) {
      double d = Math.abs(discretePosition(p, v) - x);
      if (d < bestDistance) {
        bestDistance = d;
        best = v;
      }
    }
    return best;
  }
}
