package io.labloop.planners;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Spaces and observation histories shared by the planner tests. */
public final class PlannerFixtures {

  private PlannerFixtures() {}

  /** x1, x2 in [0, 1], x3 in [1, 100] on a log scale, with two constraints that cut the box. */
  public static Space constrainedSpace() {
    List<Parameter> parameters =
        List.of(
            new Parameter.Continuous("x1", 0, 1),
            new Parameter.Continuous("x2", 0, 1),
            new Parameter.Continuous("x3", 1, 100, Parameter.Scale.LOG, ""));
    Set<String> names = Set.of("x1", "x2", "x3");
    return new Space(
        parameters,
        List.of(Constraint.parse("x1 + x2 <= 1", names), Constraint.parse("x1 * x3 >= 2", names)));
  }

  /** Integer, discrete and categorical parameters: 4 × 3 × 3 = 36 makeable points. */
  public static Space smallMixedSpace() {
    return new Space(
        List.of(
            new Parameter.IntegerRange("n", 0, 3, ""),
            new Parameter.Discrete("c", List.of(0.1, 0.5, 1.0), "mM"),
            new Parameter.Categorical("solvent", List.of("water", "ethanol", "dmso"))),
        List.of());
  }

  public static Point point(Object... nameValue) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2)
      values.put((String) nameValue[i], nameValue[i + 1]);
    return new Point(values);
  }

  /** Observations of {@code f} at the given points, objective "y". */
  public static List<Observation> observe(List<Point> points, ToDoubleFunction<Point> f) {
    List<Observation> out = new ArrayList<>();
    for (Point p : points) out.add(Observation.ok(p, Map.of("y", f.applyAsDouble(p))));
    return out;
  }

  public static List<Objective> minimiseY() {
    return List.of(new Objective.Minimize("y"));
  }
}
