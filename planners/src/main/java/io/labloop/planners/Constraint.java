package io.labloop.planners;

import com.ezylang.evalex.BaseException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.parser.ASTNode;
import com.ezylang.evalex.parser.Token;
import io.labloop.planners.expression.ExpressionRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A condition over parameter names that every suggestion must satisfy, such as {@code temperature *
 * time <= 6000} or {@code a + b + c == 1}. Evaluated with EvalEx (an expression library), never a
 * script engine.
 *
 * <p>The expression must be one comparison ({@code == != <= >= < >}); a campaign lists several
 * constraints for a conjunction. The text is bounded and its functions are LabLoop's ({@link
 * ExpressionRules}: lower-case {@code exp}, {@code ln}, {@code sqrt}, ..., radians), so one test
 * costs a bounded number of constant-time steps. Both sides are evaluated by EvalEx and compared
 * here in double precision, so that equalities hold within a relative tolerance of 1e-9:
 * compositions that sum to one in floating point are accepted. Strings (categorical values) compare
 * exactly.
 */
public final class Constraint {

  /** Relative tolerance of {@code ==} and {@code !=}, and the slack allowed on inequalities. */
  static final double TOLERANCE = 1e-9;

  private enum Relation {
    EQ("=="),
    NE("!="),
    LE("<="),
    GE(">="),
    LT("<"),
    GT(">");

    final String symbol;

    Relation(String symbol) {
      this.symbol = symbol;
    }

    static Relation of(String token) {
      for (Relation r : values()) if (r.symbol.equals(token)) return r;
      if ("=".equals(token)) return EQ;
      if ("<>".equals(token)) return NE;
      return null;
    }
  }

  private final String expression;
  private final Set<String> variables;
  // EvalEx expressions hold their variable values, so evaluation is serialised on this object.
  private final Expression parsed;
  private final ASTNode left;
  private final ASTNode right;
  private final Relation relation;

  private Constraint(
      String expression,
      Set<String> variables,
      Expression parsed,
      ASTNode left,
      ASTNode right,
      Relation relation) {
    this.expression = expression;
    this.variables = variables;
    this.parsed = parsed;
    this.left = left;
    this.right = right;
    this.relation = relation;
  }

  /**
   * Parses {@code expression}; throws {@link IllegalArgumentException} with a message a researcher
   * can act on if it does not parse, is not a comparison, or names a variable outside {@code
   * names}.
   */
  public static Constraint parse(String expression, Set<String> names) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException(
          "constraint is empty; expected a comparison such as 'a + b <= 1'");
    }
    String text = expression.strip();
    try {
      ExpressionRules.checkSize(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "constraint '" + abbreviated(text) + "' is too large: " + e.getMessage(), e);
    }
    Expression parsed = new Expression(text, ExpressionRules.configuration());
    ASTNode root;
    Set<String> used;
    try {
      root = parsed.getAbstractSyntaxTree();
      used = parsed.getUsedVariables();
    } catch (BaseException | RuntimeException e) {
      // EvalEx's parser also throws unchecked exceptions on some malformed input
      // (NoSuchElementException for "exp ( != x x )", found by the expression fuzzer).
      throw new IllegalArgumentException(
          "constraint '" + text + "' does not parse: " + reason(e), e);
    }
    Token token = root.getToken();
    Relation relation =
        token.getType() == Token.TokenType.INFIX_OPERATOR ? Relation.of(token.getValue()) : null;
    if (relation == null || root.getParameters().size() != 2) {
      throw new IllegalArgumentException(
          "constraint '"
              + text
              + "' is not a comparison; expected one of ==, !=, <=, >=, <, > between two expressions"
              + " (write one constraint per condition instead of && or ||)");
    }
    Map<String, EvaluationValue> constants = parsed.getConfiguration().getDefaultConstants();
    Set<String> unknown = new TreeSet<>();
    Set<String> variables = new TreeSet<>();
    for (String v : used) {
      String known = names.stream().filter(n -> n.equalsIgnoreCase(v)).findFirst().orElse(null);
      if (known != null) {
        variables.add(known);
      } else if (constants.keySet().stream().noneMatch(c -> c.equalsIgnoreCase(v))) {
        unknown.add(v);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "constraint '"
              + text
              + "' names "
              + unknown
              + " which "
              + (unknown.size() == 1 ? "is not a parameter" : "are not parameters")
              + "; parameters are "
              + new TreeSet<>(names));
    }
    List<ASTNode> sides = root.getParameters();
    return new Constraint(
        text, Set.copyOf(variables), parsed, sides.get(0), sides.get(1), relation);
  }

  private static String reason(Exception e) {
    return e instanceof BaseException || e.getMessage() != null
        ? String.valueOf(e.getMessage())
        : "unbalanced brackets or operators (expected an arithmetic comparison)";
  }

  /** At most 80 characters of a text, for messages about texts that may be huge. */
  private static String abbreviated(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  public String expression() {
    return expression;
  }

  /** The parameter names this constraint reads. */
  public Set<String> variables() {
    return variables;
  }

  /** True if the point satisfies this constraint. */
  public boolean test(Point point) {
    EvaluationValue a;
    EvaluationValue b;
    synchronized (parsed) {
      for (String v : variables) parsed.with(v, point.get(v));
      try {
        a = parsed.evaluateSubtree(left);
        b = parsed.evaluateSubtree(right);
      } catch (BaseException | RuntimeException e) {
        // A point where the expression is undefined (division by zero, log of a negative) is not
        // allowed.
        return false;
      }
    }
    if (a.isNumberValue() && b.isNumberValue()) {
      return compare(a.getNumberValue().doubleValue(), b.getNumberValue().doubleValue());
    }
    if (a.isBooleanValue() && b.isBooleanValue()) {
      return relation == Relation.EQ
          ? a.getBooleanValue().equals(b.getBooleanValue())
          : relation == Relation.NE && !a.getBooleanValue().equals(b.getBooleanValue());
    }
    int c =
        a.getStringValue()
            .toLowerCase(Locale.ROOT)
            .compareTo(b.getStringValue().toLowerCase(Locale.ROOT));
    return switch (relation) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LE -> c <= 0;
      case GE -> c >= 0;
      case LT -> c < 0;
      case GT -> c > 0;
    };
  }

  private boolean compare(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) return false;
    double slack = TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    return switch (relation) {
      case EQ -> Math.abs(a - b) <= slack;
      case NE -> Math.abs(a - b) > slack;
      case LE -> a <= b + slack;
      case GE -> a >= b - slack;
      case LT -> a < b;
      case GT -> a > b;
    };
  }

  @Override
  public String toString() {
    return expression;
  }
}
