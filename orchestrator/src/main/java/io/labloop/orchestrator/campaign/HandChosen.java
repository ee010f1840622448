package io.labloop.orchestrator.campaign;

import io.labloop.planners.Constraint;
import io.labloop.planners.Parameter;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A researcher's own conditions ({@code labloop suggest CAMPAIGN --point NAME=VALUE,...}): read
 * against the campaign's space and checked like any suggestion — every parameter given, each value
 * allowed (the ranges, which the campaign reader already checked against the instruments' limits),
 * every constraint satisfied, and within a candidate pool if the campaign has one. The decision
 * stored with it names the planner {@value #PLANNER}, which is how the store and the exports mark
 * the experiment as chosen by a person.
 */
public final class HandChosen {

  /** The planner name of a decision a person made. */
  public static final String PLANNER = "human";

  private HandChosen() {}

  /**
   * The point {@code values} describe (numbers may arrive as numbers or text).
   *
   * @throws IllegalArgumentException naming every problem, one per line
   */
  public static Point point(Space space, Map<String, ?> values) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : values.keySet()) {
      if (!space.names().contains(name))
        problems.add("'" + name + "' is not a parameter (expected one of " + space.names() + ")");
    }
    for (Parameter p : space.parameters()) {
      Object raw = values.get(p.name());
      if (raw == null) {
        problems.add("missing " + p.name() + " (expected every parameter: " + space.names() + ")");
        continue;
      }
      Object v = p instanceof Parameter.Categorical ? raw.toString() : number(raw);
      if (v == null) {
        problems.add(p.name() + " = '" + raw + "' is not a number");
      } else if (!p.contains(v)) {
        problems.add(p.name() + " = " + raw + " is not allowed (" + allowed(p) + ")");
      } else {
        out.put(p.name(), v);
      }
    }
    if (problems.isEmpty()) {
      Point point = new Point(out);
      for (Constraint c : space.constraints()) {
        if (!c.test(point)) problems.add("constraint '" + c + "' does not hold at " + point);
      }
      space
          .pool()
          .ifPresent(
              pool -> {
                if (!pool.rows().contains(point))
                  problems.add(point + " is not a row of the campaign's candidates");
              });
      if (problems.isEmpty()) return point;
    }
    throw new IllegalArgumentException(String.join("\n", problems));
  }

  /** The decision stored with a hand-chosen experiment. */
  public static Suggestion decision(Point point, String who) {
    return Suggestion.of(point, PLANNER, "chosen by " + who);
  }

  private static Double number(Object raw) {
    if (raw instanceof Number n) return n.doubleValue();
    try {
      return Double.parseDouble(raw.toString().strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String allowed(Parameter p) {
    String unit = p.unit().isEmpty() ? "" : " " + p.unit();
    if (p instanceof Parameter.Continuous c) return "expected " + c.min() + " to " + c.max() + unit;
    if (p instanceof Parameter.IntegerRange r)
      return "expected a whole number from " + r.min() + " to " + r.max() + unit;
    if (p instanceof Parameter.Discrete d) return "expected one of " + d.values() + unit;
    return "expected one of " + ((Parameter.Categorical) p).values();
  }
}
