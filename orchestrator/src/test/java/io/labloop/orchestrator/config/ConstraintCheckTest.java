package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConstraintCheckTest {

  private static final List<Parameter> COMPOSITION =
      List.of(
          new Parameter.Continuous("a", 0, 1),
          new Parameter.Continuous("b", 0, 1),
          new Parameter.Continuous("c", 0, 1));

  private final ConstraintCheck box = new ConstraintCheck(COMPOSITION, Optional.empty());

  @Test
  void splitsAtTheTopLevelComparison() {
    ConstraintCheck.Comparison c = box.parse("(a + b) * 2 <= c + 1");

    assertEquals("(a + b) * 2", c.lhs());
    assertEquals("<=", c.operator());
    assertEquals("c + 1", c.rhs());
    assertEquals(Set.of("a", "b", "c"), c.variables());
  }

  @Test
  void refusesTwoComparisonsAndNoComparison() {
    assertThrows(IllegalArgumentException.class, () -> box.parse("0 <= a <= 1"));
    assertThrows(IllegalArgumentException.class, () -> box.parse("a + b"));
  }

  @Test
  void aCompositionSummingToOneIsSatisfiableThoughNoRandomSampleHitsItExactly() {
    assertEquals(Optional.empty(), box.unsatisfiable(box.parse("a + b + c == 1")));
  }

  @Test
  void aSumOutsideTheBoxIsNot() {
    Optional<String> why = box.unsatisfiable(box.parse("a + b + c == 4"));

    assertTrue(why.orElseThrow().contains("a + b + c is between 0 and 3"), why.get());
  }

  @Test
  void anEqualityOverAPoolNeedsARowThatMeetsIt() {
    List<Point> rows =
        List.of(
            new Point(Map.of("a", 0.2, "b", 0.3, "c", 0.4)),
            new Point(Map.of("a", 0.5, "b", 0.5, "c", 0.1)));
    ConstraintCheck pool = new ConstraintCheck(COMPOSITION, Optional.of(rows));

    assertEquals(Optional.empty(), pool.unsatisfiable(pool.parse("a + b == 1")));
    assertTrue(
        pool.unsatisfiable(pool.parse("a + b + c == 1")).isPresent(),
        "0.9 and 1.1 do not make 1 in a pool");
  }

  @Test
  void constraintsThatHoldAloneButNotTogetherAreFound() {
    List<ConstraintCheck.Comparison> both =
        List.of(box.parse("a >= 0.8"), box.parse("a + 0.5 <= 1"));

    assertEquals(Optional.empty(), box.unsatisfiable(both.get(0)));
    assertEquals(Optional.empty(), box.unsatisfiable(both.get(1)));
    assertTrue(box.unsatisfiableTogether(both).isPresent());
  }

  @Test
  void categoricalValuesCanBeCompared() {
    ConstraintCheck mixed =
        new ConstraintCheck(
            List.of(
                new Parameter.Continuous("t", 20, 200),
                new Parameter.Categorical("solvent", List.of("water", "ethanol"))),
            Optional.empty());

    assertEquals(Optional.empty(), mixed.unsatisfiable(mixed.parse("t * 2 >= 300")));
  }
}
