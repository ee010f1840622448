package io.labloop.planners;

import java.util.List;
import java.util.Optional;

/**
 * The conditions a campaign may try: parameters, constraints that every suggestion must satisfy,
 * and optionally a candidate pool (only the rows of a table can be made, so the planner ranks the
 * pool instead of searching the box).
 */
public record Space(
    List<Parameter> parameters, List<Constraint> constraints, Optional<CandidatePool> pool) {

  public Space {
    parameters = List.copyOf(parameters);
    constraints = List.copyOf(constraints);
    if (parameters.isEmpty())
      throw new IllegalArgumentException("a space needs at least one parameter");
    long distinct = parameters.stream().map(Parameter::name).distinct().count();
    if (distinct != parameters.size())
      throw new IllegalArgumentException("parameter names must be unique");
  }

  public Space(List<Parameter> parameters, List<Constraint> constraints) {
    this(parameters, constraints, Optional.empty());
  }

  public Parameter parameter(String name) {
    return parameters.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameter '" + name + "'"));
  }

  public List<String> names() {
    return parameters.stream().map(Parameter::name).toList();
  }

  /** Every parameter's value is allowed and every constraint holds. */
  public boolean contains(Point point) {
    for (Parameter p : parameters) {
      Object v = point.values().get(p.name());
      if (v == null || !p.contains(v)) return false;
    }
    for (Constraint c : constraints) {
      if (!c.test(point)) return false;
    }
    return true;
  }
}
