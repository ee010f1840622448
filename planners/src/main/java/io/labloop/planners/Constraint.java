package io.labloop.planners;

import java.util.Set;

/**
 * A condition over parameter names that every suggestion must satisfy, such as
 * {@code temperature * time <= 6000} or {@code a + b + c == 1}. Evaluated with EvalEx (an
 * expression library), never a script engine. Equalities hold within a relative tolerance
 * of 1e-9 so that compositions which sum to one in floating point are accepted.
 */
public final class Constraint {
  // PLACEHOLDER: the planners work implements parsing and evaluation.
  private final String expression;

  private Constraint(String expression) {
    this.expression = expression;
  }

  /**
   * Parses {@code expression}; throws {@link IllegalArgumentException} with a message a
   * researcher can act on if it does not parse, is not a comparison, or names a variable
   * outside {@code names}.
   */
  public static Constraint parse(String expression, Set<String> names) {
    throw new UnsupportedOperationException("not yet");
  }

  public String expression() {
    return expression;
  }

  /** True if the point satisfies this constraint. */
  public boolean test(Point point) {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public String toString() {
    return expression;
  }
}
