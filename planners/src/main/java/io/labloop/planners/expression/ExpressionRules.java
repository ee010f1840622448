package io.labloop.planners.expression;

import com.ezylang.evalex.BaseException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.config.MapBasedFunctionDictionary;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.FunctionIfc;
import com.ezylang.evalex.functions.basic.IfFunction;
import com.ezylang.evalex.functions.basic.NotFunction;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * What an expression may be and what it may cost.
 *
 * <p>The algorithm: before EvalEx sees a text, one pass over its characters refuses a text longer
 * than {@link #MAX_LENGTH} or with brackets nested deeper than {@link #MAX_DEPTH}, naming the
 * character where the limit is passed. That bounds the syntax tree (EvalEx parses with an explicit
 * stack but evaluates the tree recursively, so the length bound is also the recursion bound). The
 * function table then holds only functions whose cost does not depend on their arguments: each is
 * computed in double precision ({@link DoubleFunctions}), a factorial only up to 170 (the largest
 * that a double holds), powers and remainders in doubles instead of EvalEx's exact decimals (whose
 * cost grows with the exponent). Functions that read the clock, draw random numbers or run regular
 * expressions are not offered. So one evaluation costs at most a few thousand constant-time steps,
 * and a caller that evaluates many (the satisfiability check) bounds the total with a {@link
 * Deadline}.
 *
 * <p>Function names are case-insensitive ({@code exp}, {@code EXP}); trigonometry is in radians.
 */
public final class ExpressionRules {

  /** Longest expression accepted, in characters: far above any real constraint. */
  public static final int MAX_LENGTH = 1000;

  /** Deepest nesting of brackets accepted. */
  public static final int MAX_DEPTH = 32;

  private static final ExpressionConfiguration CONFIGURATION = configurationWithOurFunctions();

  private ExpressionRules() {}

  /** EvalEx's settings with LabLoop's function table and bounded operators. */
  public static ExpressionConfiguration configuration() {
    return CONFIGURATION;
  }

  /**
   * Refuses a text that is too long or too deeply nested, naming where.
   *
   * @throws IllegalArgumentException saying which limit and at which character (1-based)
   */
  public static void checkSize(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the expression is "
              + text.length()
              + " characters long (expected at most "
              + MAX_LENGTH
              + " characters; split it into several constraints)");
    }
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '(' || c == '[' || c == '{') depth++;
      if (c == ')' || c == ']' || c == '}') depth--;
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException(
            "brackets nested more than "
                + MAX_DEPTH
                + " deep at character "
                + (i + 1)
                + " (expected at most "
                + MAX_DEPTH
                + " levels)");
      }
    }
  }

  /**
   * Checks the size, then parses with LabLoop's functions.
   *
   * @throws IllegalArgumentException with the reason when it is too large or does not parse
   */
  public static Expression parse(String text) {
    checkSize(text);
    Expression e = new Expression(text, CONFIGURATION);
    try {
      e.validate();
    } catch (BaseException | RuntimeException ex) {
      // EvalEx's parser also throws unchecked exceptions on some malformed input.
      throw new IllegalArgumentException(
          "'"
              + text
              + "' does not parse: "
              + (ex.getMessage() != null ? ex.getMessage() : "unbalanced brackets or operators"),
          ex);
    }
    return e;
  }

  /**
   * The value of {@code e} with these variables, as a double (true is 1, false 0).
   *
   * @throws IllegalArgumentException when it cannot be computed (division by zero, a function
   *     outside its domain, a result that is not a finite number, text where a number was needed)
   */
  public static double evaluate(Expression e, Map<String, ?> values) {
    try {
      e.withValues(values);
      EvaluationValue v = e.evaluate();
      if (v.isNumberValue()) return v.getNumberValue().doubleValue();
      if (v.isBooleanValue()) return v.getBooleanValue() ? 1 : 0;
      throw new IllegalArgumentException(
          "'" + e.getExpressionString() + "' gives " + v.getValue() + " (expected a number)");
    } catch (BaseException | RuntimeException ex) {
      throw new IllegalArgumentException(
          "cannot evaluate '" + e.getExpressionString() + "': " + ex.getMessage(), ex);
    }
  }

  private static ExpressionConfiguration configurationWithOurFunctions() {
    List<Map.Entry<String, FunctionIfc>> functions =
        new java.util.ArrayList<>(DoubleFunctions.all().entrySet());
    functions.add(Map.entry("IF", new IfFunction()));
    functions.add(Map.entry("NOT", new NotFunction()));
    @SuppressWarnings("unchecked")
    Map.Entry<String, FunctionIfc>[] table = functions.toArray(new Map.Entry[0]);
    return ExpressionConfiguration.builder()
        .mathContext(MathContext.DECIMAL64)
        .functionDictionary(MapBasedFunctionDictionary.ofFunctions(table))
        .arraysAllowed(false)
        .structuresAllowed(false)
        .build()
        .withAdditionalOperators(
            Map.entry("^", new BoundedOperators.Power()),
            Map.entry("%", new BoundedOperators.Remainder()));
  }
}
