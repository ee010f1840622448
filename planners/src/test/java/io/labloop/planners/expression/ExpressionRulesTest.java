package io.labloop.planners.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Constraint;
import io.labloop.planners.Point;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a researcher may write in a constraint or a benchmark expression, and what is refused before
 * it costs anything.
 */
class ExpressionRulesTest {

  private static final Set<String> NAMES = Set.of("x", "y");

  private static double value(String expression, double x, double y) {
    return ExpressionRules.evaluate(ExpressionRules.parse(expression), Map.of("x", x, "y", y));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "exp(x); 7.38905609893065",
        "ln(x); 0.6931471805599453",
        "log(x); 0.6931471805599453",
        "log10(y); 0.47712125471966244",
        "sqrt(x * 8); 4",
        "abs(x - y * 2); 4",
        "min(x, y, 7); 2",
        "max(x, y, -7); 3",
        "pow(x, y); 8",
        "x ^ y; 8",
        "sin(x - 2); 0",
        "cos(0 * x); 1",
        "tan(0 * y); 0",
        "atan2(y - 3, 1); 0",
        "floor(y / x); 1",
        "ceil(y / x); 2",
        "round(y / x, 1); 1.5",
        "fact(y); 6",
        "EXP(x) - exp(x); 0",
        "Sqrt(x + 2); 2",
        "pi / pi; 1",
      })
  void theUsualFunctionsInLowerCase(String expression, double expected) {
    assertEquals(expected, value(expression, 2, 3), 1e-12);
  }

  @Test
  void trigonometryIsInRadians() {
    assertEquals(0, value("sin(x * pi)", 1, 0), 1e-12);
    assertEquals(-1, value("cos(x * pi)", 1, 0), 1e-12);
  }

  @Test
  void aFactorialBeyondWhatADoubleHoldsIsAnErrorAtOnce() {
    Constraint c = Constraint.parse("FACT(999999999) > 0", NAMES);
    boolean holds =
        assertTimeoutPreemptively(
            Duration.ofSeconds(2), () -> c.test(new Point(Map.of("x", 1.0, "y", 1.0))));
    assertFalse(holds, "an expression that cannot be computed is not satisfied");
    var e = assertThrows(IllegalArgumentException.class, () -> value("fact(171)", 0, 0));
    assertTrue(e.getMessage().contains("fact") && e.getMessage().contains("170"), e.getMessage());
  }

  @Test
  void hugePowersAndRemaindersCostNothing() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          assertThrows(IllegalArgumentException.class, () -> value("2 ^ 999999999", 0, 0));
          assertThrows(IllegalArgumentException.class, () -> value("1e999999999 % 7", 0, 0));
          assertThrows(IllegalArgumentException.class, () -> value("round(x, 999999999)", 1, 0));
        });
  }

  @Test
  void aFiftyThousandTermConstraintIsRefusedByItsSizeWithoutOverflowingTheStack() {
    String huge = "x" + " + x".repeat(50_000) + " <= 1";
    var e = assertThrows(IllegalArgumentException.class, () -> Constraint.parse(huge, NAMES));
    assertTrue(
        e.getMessage().contains("characters")
            && e.getMessage().contains(Integer.toString(ExpressionRules.MAX_LENGTH)),
        e.getMessage());
  }

  @Test
  void deepParenthesesAreRefusedWithTheCharacterWhereTheLimitIsPassed() {
    String deep = "(".repeat(200) + "x" + ")".repeat(200) + " <= 1";
    var e = assertThrows(IllegalArgumentException.class, () -> Constraint.parse(deep, NAMES));
    assertTrue(
        e.getMessage().contains("at character " + (ExpressionRules.MAX_DEPTH + 1)), e.getMessage());
  }

  @Test
  void functionsThatReadTheClockTextOrRandomnessAreNotOffered() {
    for (String f :
        new String[] {"STR_MATCHES(\"a\", \"(a+)+$\") == 1", "DT_NOW() > 0", "RANDOM() > 0"}) {
      assertThrows(IllegalArgumentException.class, () -> Constraint.parse(f, NAMES), f);
    }
  }
}
