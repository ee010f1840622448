package io.labloop.planners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintTest {

  private static final Set<String> NAMES = Set.of("a", "b", "c", "temperature", "time", "solvent");

  private static Point point(double a, double b, double c) {
    return new Point(Map.of("a", a, "b", b, "c", c));
  }

  @ParameterizedTest(name = "{0} at a={1}, b={2}, c={3} is {4}")
  @CsvSource(
      delimiter = ';',
      value = {
        "a + b + c == 1; 0.1; 0.2; 0.7; true",
        "a + b + c == 1; 0.1; 0.2; 0.6; false",
        "a + b + c != 1; 0.1; 0.2; 0.7; false",
        "a * b <= 0.5; 1; 0.5; 0; true",
        "a * b < 0.5; 1; 0.5; 0; false",
        "a - b >= 0; 0.3; 0.3; 0; true",
        "a > b; 0.3; 0.3; 0; false",
        "SQRT(a) + c <= 2; 4; 0; 0; true",
        "1 / (a - b) > 0; 1; 1; 0; false",
      })
  void evaluatesComparisons(String expression, double a, double b, double c, boolean expected) {
    assertEquals(expected, Constraint.parse(expression, NAMES).test(point(a, b, c)));
  }

  @Test
  void equalityToleratesFloatingPointSums() {
    // 0.1 + 0.2 + 0.7 is 0.9999999999999999 in doubles.
    Constraint sum = Constraint.parse("a + b + c == 1", NAMES);
    assertTrue(sum.test(point(0.1, 0.2, 0.7)));
  }

  @Test
  void comparesCategoricalValues() {
    Constraint c = Constraint.parse("solvent != \"water\"", NAMES);
    assertTrue(c.test(new Point(Map.of("solvent", "ethanol"))));
    assertEquals(false, c.test(new Point(Map.of("solvent", "water"))));
  }

  @Test
  void rejectsUnknownNamesWithTheirNames() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Constraint.parse("temp * time <= 6000", NAMES));
    assertTrue(e.getMessage().contains("[temp]"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "a + ; does not parse",
        "a + b; not a comparison",
        "a < 1 && b < 1; not a comparison"
      })
  void rejectsExpressionsThatAreNotOneComparison(String expression, String message) {
    var e = assertThrows(IllegalArgumentException.class, () -> Constraint.parse(expression, NAMES));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
