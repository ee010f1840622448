package io.labloop.orchestrator.config;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.parser.ParseException;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.expression.ExpressionRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether constraints can hold somewhere in a space. The algorithm: draw a fixed, seeded sample of
 * the space (uniform per parameter, log-uniform for log-scale ones, or the candidate rows when the
 * space is a pool) and evaluate each constraint as {@code g = lhs - rhs}. An inequality is
 * satisfiable when some sample satisfies it. An equality ({@code a + b == 1}) is almost never hit
 * exactly by a random sample, so over a continuous parameter it counts as satisfiable when {@code
 * g} changes sign across the sample (the surface crosses zero between two samples); over a pool or
 * whole-number parameters it needs a sample within 1e-9. Then the constraints are tried together on
 * the samples that satisfy every inequality. A sampled check can miss a tiny feasible sliver; it
 * never reports a constraint that some sample satisfies.
 */
final class ConstraintCheck {

  static final int SAMPLES = 4000;
  private static final long SEED = 20_240_601L;

  /**
   * How much processor time one check (one constraint, or all of them together) may take. Each
   * evaluation is bounded by {@link ExpressionRules}; this bounds their sum, so that a campaign
   * file can never hold {@code validate} or a submit for long. Real constraints take milliseconds.
   * It is the thread's CPU time, not the wall clock, so that a busy machine does not turn a good
   * constraint into a problem.
   */
  static final Duration TIME_LIMIT = Duration.ofSeconds(2);

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();
  private static final List<String> OPERATORS = List.of("<=", ">=", "==", "!=", "<", ">");

  /** A constraint split at its comparison. */
  record Comparison(String text, String lhs, String operator, String rhs, Set<String> variables) {}

  private final List<Parameter> parameters;
  private final List<Point> samples;
  private final boolean continuous;
  private final Map<String, Expression> parsed = new java.util.HashMap<>();
  private final Map<String, Double> constants = new java.util.HashMap<>();
  private final Map<String, Boolean> withoutParameters = new java.util.HashMap<>();

  ConstraintCheck(List<Parameter> parameters, Optional<List<Point>> pool) {
    this.parameters = parameters;
    this.samples =
        pool.map(rows -> rows.size() > SAMPLES ? rows.subList(0, SAMPLES) : rows)
            .orElseGet(this::sample);
    this.continuous = pool.isEmpty();
  }

  /** Splits and parses; the message says what is wrong with it otherwise. */
  Comparison parse(String text) {
    ExpressionRules.checkSize(text);
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (depth != 0) continue;
      for (String op : OPERATORS) {
        if (text.startsWith(op, i)) {
          String lhs = text.substring(0, i).trim();
          String rhs = text.substring(i + op.length()).trim();
          if (lhs.isEmpty() || rhs.isEmpty())
            throw new IllegalArgumentException(
                "'"
                    + text
                    + "' has nothing on one side of "
                    + op
                    + " (expected e.g. temperature * time <= 6000)");
          for (String other : OPERATORS) {
            if (topLevel(rhs, other))
              throw new IllegalArgumentException(
                  "'"
                      + text
                      + "' has more than one comparison"
                      + " (expected one per line, e.g. 'a >= 0' and 'a <= 1')");
          }
          Set<String> vars = variables(lhs);
          vars.addAll(variables(rhs));
          return new Comparison(text, lhs, op, rhs, vars);
        }
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a comparison (expected e.g. temperature * time <= 6000 or a + b == 1)");
  }

  private static boolean topLevel(String s, String op) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (depth == 0 && s.startsWith(op, i)) return true;
    }
    return false;
  }

  private static Set<String> variables(String side) {
    try {
      Expression e = new Expression(side, ExpressionRules.configuration());
      e.validate();
      return new java.util.TreeSet<>(e.getUsedVariables());
    } catch (ParseException | RuntimeException e) {
      // EvalEx's parser also throws unchecked exceptions on some malformed input (found by the
      // fuzzer).
      throw new IllegalArgumentException(
          "cannot read '"
              + side
              + "': "
              + (e.getMessage() != null ? e.getMessage() : "unbalanced brackets or operators")
              + " (expected an arithmetic expression)");
    }
  }

  /** Empty if some sampled point satisfies {@code c}; else why not. */
  Optional<String> unsatisfiable(Comparison c) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double lhsLo = Double.POSITIVE_INFINITY;
    double lhsHi = Double.NEGATIVE_INFINITY;
    int evaluated = 0;
    long deadline = now() + TIME_LIMIT.toNanos();
    for (Point p : samples) {
      if (now() - deadline > 0) return Optional.of(tooSlow(c, evaluated));
      double g = gap(c, p);
      if (Double.isNaN(g)) continue;
      evaluated++;
      lo = Math.min(lo, g);
      hi = Math.max(hi, g);
      double l = side(c.lhs(), p);
      lhsLo = Math.min(lhsLo, l);
      lhsHi = Math.max(lhsHi, l);
      if (holds(c, g)) return Optional.empty();
    }
    if (continuous && c.operator().equals("==") && lo <= 0 && hi >= 0 && usesContinuous(c))
      return Optional.empty();
    if (evaluated == 0)
      return Optional.of(
          "'"
              + c.text()
              + "' cannot be evaluated anywhere in the space (expected numbers on both sides)");
    boolean constantRight = variables(c.rhs()).isEmpty();
    String spread =
        constantRight
            ? c.lhs()
                + " is between "
                + Numbers.text(round(lhsLo))
                + " and "
                + Numbers.text(round(lhsHi))
            : c.lhs()
                + " - ("
                + c.rhs()
                + ") is between "
                + Numbers.text(round(lo))
                + " and "
                + Numbers.text(round(hi));
    return Optional.of(
        "'"
            + c.text()
            + "' never holds in the parameter ranges: "
            + spread
            + " over "
            + evaluated
            + " sampled points (expected a constraint that some conditions satisfy)");
  }

  /** Empty if some sampled point satisfies every inequality and leaves every equality reachable. */
  Optional<String> unsatisfiableTogether(List<Comparison> all) {
    List<Comparison> inequalities = all.stream().filter(c -> !c.operator().equals("==")).toList();
    List<Comparison> equalities = all.stream().filter(c -> c.operator().equals("==")).toList();
    long deadline = now() + TIME_LIMIT.toNanos();
    List<Point> feasible = new ArrayList<>();
    for (Point p : samples) {
      if (now() - deadline > 0) return Optional.of(tooSlow(all.get(0), feasible.size()));
      if (inequalities.stream().allMatch(c -> holds(c, gap(c, p)))) feasible.add(p);
    }
    if (feasible.isEmpty()) {
      return Optional.of(
          "no sampled point satisfies all of "
              + all.stream().map(c -> "'" + c.text() + "'").collect(Collectors.joining(", "))
              + " at once (expected constraints that overlap somewhere in the space)");
    }
    for (Comparison eq : equalities) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      boolean hit = false;
      for (Point p : feasible) {
        double g = gap(eq, p);
        if (Double.isNaN(g)) continue;
        hit |= holds(eq, g);
        lo = Math.min(lo, g);
        hi = Math.max(hi, g);
      }
      if (!hit && !(continuous && usesContinuous(eq) && lo <= 0 && hi >= 0)) {
        return Optional.of(
            "'"
                + eq.text()
                + "' cannot hold where the other constraints do (expected constraints that overlap somewhere in the space)");
      }
    }
    return Optional.empty();
  }

  /** This thread's processor time in nanoseconds (the wall clock where the JVM cannot tell). */
  private static long now() {
    return CPU.isCurrentThreadCpuTimeSupported()
        ? CPU.getCurrentThreadCpuTime()
        : System.nanoTime();
  }

  private static String tooSlow(Comparison c, int evaluated) {
    return "checking '"
        + c.text()
        + "' took more than "
        + TIME_LIMIT.toSeconds()
        + " s of processor time ("
        + evaluated
        + " of "
        + SAMPLES
        + " sampled points; expected constraints that are quick to compute)";
  }

  private boolean usesContinuous(Comparison c) {
    return parameters.stream()
        .anyMatch(p -> p instanceof Parameter.Continuous && c.variables().contains(p.name()));
  }

  private static boolean holds(Comparison c, double g) {
    if (Double.isNaN(g)) return false;
    double tolerance = 1e-9;
    return switch (c.operator()) {
      case "<=" -> g <= tolerance;
      case ">=" -> g >= -tolerance;
      case "<" -> g < 0;
      case ">" -> g > 0;
      case "==" -> Math.abs(g) <= tolerance;
      default -> Math.abs(g) > tolerance;
    };
  }

  /** {@code lhs - rhs} at {@code p}; NaN where it cannot be computed (division by zero, text). */
  private double gap(Comparison c, Point p) {
    return side(c.lhs(), p) - side(c.rhs(), p);
  }

  private double side(String side, Point p) {
    Double constant = constants.get(side);
    if (constant != null) return constant;
    double v;
    try {
      v = value(side, p);
    } catch (EvaluationException | ParseException | RuntimeException e) {
      v = Double.NaN;
    }
    // A side without parameters (a number, or FACT(999999999)) has one value: computed once, not
    // once per sample, so that a side that fails costs one exception instead of thousands.
    if (withoutParameters.computeIfAbsent(side, t -> variables(t).isEmpty()))
      constants.put(side, v);
    return v;
  }

  private double value(String side, Point p) throws EvaluationException, ParseException {
    // One parsed expression per side, re-evaluated with each sample's values.
    Expression e =
        parsed.computeIfAbsent(side, t -> new Expression(t, ExpressionRules.configuration()));
    e.withValues(p.values());
    EvaluationValue v = e.evaluate();
    if (v.isNumberValue()) return v.getNumberValue().doubleValue();
    if (v.isBooleanValue()) return v.getBooleanValue() ? 1 : 0;
    return Double.NaN;
  }

  private List<Point> sample() {
    Random random = new Random(SEED);
    List<Point> out = new ArrayList<>(SAMPLES);
    for (int i = 0; i < SAMPLES; i++) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (Parameter p : parameters) {
        // The first two samples are the all-low and all-high corners, where sums and products peak.
        double u = i == 0 ? 0 : i == 1 ? 1 : random.nextDouble();
        values.put(p.name(), draw(p, u));
      }
      out.add(new Point(values));
    }
    return out;
  }

  /** The value at fraction {@code u} (0..1) of a parameter's range or list. */
  private static Object draw(Parameter p, double u) {
    if (p instanceof Parameter.Continuous c) {
      if (c.scale() == Parameter.Scale.LOG)
        return Math.exp(Math.log(c.min()) + u * (Math.log(c.max()) - Math.log(c.min())));
      return c.min() + u * (c.max() - c.min());
    }
    if (p instanceof Parameter.IntegerRange r)
      return (double) Math.min(r.max(), r.min() + (long) Math.floor(u * (r.max() - r.min() + 1)));
    if (p instanceof Parameter.Discrete d)
      return d.values().get(Math.min(d.values().size() - 1, (int) (u * d.values().size())));
    Parameter.Categorical k = (Parameter.Categorical) p;
    return k.values().get(Math.min(k.values().size() - 1, (int) (u * k.values().size())));
  }

  private static double round(double v) {
    return Math.abs(v) >= 1 ? Math.round(v * 1000) / 1000.0 : v;
  }
}
