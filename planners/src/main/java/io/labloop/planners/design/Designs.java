package io.labloop.planners.design;

import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import io.labloop.settings.CsvTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Static factories for the model-free planners. */
public final class Designs {

  private Designs() {}

  /** Independent uniform draws in the unit cube (log-scale parameters uniform in log space). */
  public static Planner random(long seed) {
    return new CubeDesign() {
      @Override
      double[] position(long index, int dimension) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        double[] u = new double[dimension];
        for (int j = 0; j < dimension; j++) u[j] = r.nextDouble();
        return u;
      }

      @Override
      public String name() {
        return "random";
      }
    };
  }

  /** A scrambled Sobol' sequence: even coverage for any number of points. */
  public static Planner sobol(long seed) {
    return new CubeDesign() {
      private Sobol sobol;

      @Override
      synchronized double[] position(long index, int dimension) {
        if (sobol == null || sobol.dimension() != dimension) sobol = new Sobol(dimension, seed);
        return sobol.point(index);
      }

      @Override
      public String name() {
        return "sobol";
      }
    };
  }

  /**
   * Latin hypercubes of {@code points} rows: each coordinate's range is cut into {@code points}
   * strata and every stratum holds exactly one row. Past the first block a fresh hypercube (next
   * seed) continues the design.
   */
  public static Planner lhs(long seed, int points) {
    if (points < 1) throw new IllegalArgumentException("points must be >= 1");
    return new CubeDesign() {
      @Override
      double[] position(long index, int dimension) {
        long block = index / points;
        int row = (int) (index % points);
        SplittableRandom r = new SplittableRandom(mix(seed, block));
        double[] u = new double[dimension];
        for (int j = 0; j < dimension; j++) {
          int[] perm = permutation(points, r);
          double jitter =
              new SplittableRandom(mix(mix(seed, block), j * 1_000_003L + row)).nextDouble();
          u[j] = (perm[row] + jitter) / points;
        }
        return u;
      }

      @Override
      public String name() {
        return "lhs";
      }
    };
  }

  /**
   * A full factorial grid with {@code levels} evenly spaced values per continuous parameter (and
   * every value of discrete and categorical ones), visited in order, skipping points already run.
   */
  public static Planner grid(int levels) {
    if (levels < 2) throw new IllegalArgumentException("levels must be >= 2");
    return new Planner() {
      @Override
      public String name() {
        return "grid";
      }

      @Override
      public List<Suggestion> suggest(PlanningState state, int n) {
        Admissible admissible = new Admissible(state);
        if (state.space().pool().isPresent()) {
          return admissible.freePoolRows().stream()
              .limit(n)
              .map(p -> Suggestion.of(p, "grid", "next pool row"))
              .toList();
        }
        List<List<Object>> axes =
            state.space().parameters().stream().map(p -> axis(p, levels)).toList();
        long total = 1;
        for (List<Object> a : axes) total = Math.multiplyExact(total, (long) a.size());
        List<Suggestion> out = new ArrayList<>();
        for (long i = 0; i < total && out.size() < n; i++) {
          Map<String, Object> values = new LinkedHashMap<>();
          long rest = i;
          for (int k = axes.size() - 1; k >= 0; k--) {
            List<Object> a = axes.get(k);
            values.put(state.space().parameters().get(k).name(), a.get((int) (rest % a.size())));
            rest /= a.size();
          }
          Map<String, Object> ordered = new LinkedHashMap<>();
          for (String name : state.space().names()) ordered.put(name, values.get(name));
          Point p = new Point(ordered);
          if (admissible.take(p))
            out.add(Suggestion.of(p, "grid", "grid point " + i + " of " + total));
        }
        return out;
      }
    };
  }

  /**
   * Re-runs a fixed list of points in order (a design made elsewhere); points already run or
   * pending are skipped, and rows that break a constraint are never suggested.
   */
  public static Planner replay(Path file) {
    String source = String.valueOf(file.getFileName());
    return new Planner() {
      @Override
      public String name() {
        return "replay";
      }

      @Override
      public List<Suggestion> suggest(PlanningState state, int n) {
        // Read on each call: the file is small, and this keeps the planner free of hidden state.
        List<Point> rows = readCsv(file, state.space());
        Admissible admissible = new Admissible(state);
        List<Suggestion> out = new ArrayList<>();
        for (int i = 0; i < rows.size() && out.size() < n; i++) {
          if (admissible.take(rows.get(i))) {
            out.add(Suggestion.of(rows.get(i), "replay", "row " + (i + 1) + " of " + source));
          }
        }
        return out;
      }
    };
  }

  /**
   * Reads points from a CSV whose header names every parameter of {@code space} (other columns are
   * ignored). Numbers for numeric parameters, names for categorical ones.
   *
   * @throws IllegalArgumentException naming the file, line and column of the first bad value
   */
  public static List<Point> readCsv(Path file, Space space) {
    CsvTable table;
    try {
      table = CsvTable.read(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (CsvTable.Malformed e) {
      throw new IllegalArgumentException(
          file + ":" + e.line() + ":" + e.column() + ": not a CSV table: " + e.getMessage(), e);
    }
    if (table.isEmpty())
      throw new IllegalArgumentException(file + " is empty; expected a header row");
    List<String> header = table.header().texts();
    int[] column = new int[space.parameters().size()];
    for (int k = 0; k < column.length; k++) {
      String name = space.parameters().get(k).name();
      column[k] = header.indexOf(name);
      if (column[k] < 0) {
        throw new IllegalArgumentException(
            file
                + ":"
                + table.header().line()
                + ": no column '"
                + name
                + "' (columns are "
                + header
                + ")");
      }
    }
    List<Point> out = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (int k = 0; k < column.length; k++) {
        Parameter p = space.parameters().get(k);
        CsvTable.Cell found = row.cell(column[k]);
        String cell = found == null ? "" : found.text();
        int line = found == null ? row.line() : found.line();
        Object value;
        if (p instanceof Parameter.Categorical) {
          value = cell;
        } else {
          try {
            value = Double.parseDouble(cell);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                file + ":" + line + ": column '" + p.name() + "': '" + cell + "' is not a number");
          }
        }
        if (!p.contains(value)) {
          throw new IllegalArgumentException(
              file
                  + ":"
                  + line
                  + ": column '"
                  + p.name()
                  + "': "
                  + value
                  + " is not an allowed value of the parameter");
        }
        values.put(p.name(), value);
      }
      out.add(new Point(values));
    }
    return out;
  }

  private static List<Object> axis(Parameter p, int levels) {
    List<Object> values = new ArrayList<>();
    if (p instanceof Parameter.Continuous c) {
      for (int i = 0; i < levels; i++) {
        double x = i / (double) (levels - 1);
        values.add(
            c.scale() == Parameter.Scale.LOG
                ? Math.exp(Math.log(c.min()) + x * (Math.log(c.max()) - Math.log(c.min())))
                : c.min() + x * (c.max() - c.min()));
      }
    } else if (p instanceof Parameter.IntegerRange r) {
      long span = r.max() - r.min();
      for (int i = 0; i < levels; i++) {
        double v = (double) Math.round(r.min() + span * i / (double) (levels - 1));
        if (!values.contains(v)) values.add(v);
      }
    } else if (p instanceof Parameter.Discrete d) {
      values.addAll(d.values());
    } else if (p instanceof Parameter.Categorical c) {
      values.addAll(c.values());
    }
    return values;
  }

  static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
