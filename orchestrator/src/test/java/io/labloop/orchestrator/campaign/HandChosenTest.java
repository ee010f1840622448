package io.labloop.orchestrator.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.planners.Constraint;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandChosenTest {

  private final Space space =
      new Space(
          List.of(
              new Parameter.Continuous("temperature", 40, 200, Parameter.Scale.LINEAR, "degC"),
              new Parameter.Continuous("time", 1, 60),
              new Parameter.Categorical("solvent", List.of("water", "ethanol"))),
          List.of(
              Constraint.parse(
                  "temperature * time <= 6000", Set.of("temperature", "time", "solvent"))));

  private static Map<String, Object> values(Object... nameValue) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) m.put((String) nameValue[i], nameValue[i + 1]);
    return m;
  }

  @Test
  void aPointInsideTheSpaceIsReadWithNumbersFromText() {
    Point p =
        HandChosen.point(space, values("temperature", "120", "time", 10, "solvent", "ethanol"));
    assertEquals(120.0, p.number("temperature"));
    assertEquals(10.0, p.number("time"));
    assertEquals("ethanol", p.text("solvent"));
  }

  @Test
  void everyProblemIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HandChosen.point(
                    space, values("temperature", 250, "solvent", "dmso", "stirring", 3)));
    assertEquals(
        List.of(
            "'stirring' is not a parameter (expected one of [temperature, time, solvent])",
            "temperature = 250 is not allowed (expected 40.0 to 200.0 degC)",
            "missing time (expected every parameter: [temperature, time, solvent])",
            "solvent = dmso is not allowed (expected one of [water, ethanol])"),
        List.of(e.getMessage().split("\n")));
  }

  @Test
  void aBrokenConstraintIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HandChosen.point(
                    space, values("temperature", 150, "time", 60, "solvent", "water")));
    assertEquals(
        "constraint 'temperature * time <= 6000' does not hold at {temperature=150.0, time=60.0, solvent=water}",
        e.getMessage());
  }

  @Test
  void theDecisionIsMarkedAsAPersons() {
    Point p = HandChosen.point(space, values("temperature", 100, "time", 5, "solvent", "water"));
    assertEquals("human", HandChosen.decision(p, "anna").planner());
    assertEquals("chosen by anna", HandChosen.decision(p, "anna").reason());
  }
}
