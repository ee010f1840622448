package io.labloop.orchestrator.config;

import io.labloop.planners.CandidatePool;
import io.labloop.planners.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The campaign's space against the instruments' {@code limits:}: every argument a step passes is
 * compared with the limit its instrument sets for that argument name, a parameter by its whole
 * range (and unit), a literal by its value. A campaign that could ask for more than an instrument
 * allows is rejected here, before it starts, rather than failing at experiment 37.
 */
final class LimitCheck {

  private LimitCheck() {}

  /**
   * The campaign's space against each instrument's limits for the arguments it feeds: a campaign
   * that could ask for more than an instrument allows does not start.
   */
  static void check(
      LabConfig lab,
      List<WorkflowReader.Step> steps,
      Map<String, Parameter> params,
      Map<String, Fields> paramFields,
      Optional<CandidatePool> pool,
      Report report) {
    for (WorkflowReader.Step s : steps) {
      InstrumentConfig in = lab.instruments().get(s.step().instrument());
      if (in == null) continue;
      s.step()
          .args()
          .forEach(
              (arg, value) -> {
                Limit limit = in.limits().get(arg);
                if (limit == null) return;
                String where =
                    " (expected %s, the limit of "
                        + in.name()
                        + " in "
                        + lab.file().getFileName()
                        + ")";
                if (value instanceof WorkflowStep.Arg.Literal lit
                    && lit.value() instanceof Number n) {
                  limit
                      .violation(in.name(), n.doubleValue())
                      .ifPresent(
                          v ->
                              report.error(
                                  s.node().find(List.of("args", arg)),
                                  "argument "
                                      + arg
                                      + " = "
                                      + Numbers.text(n.doubleValue())
                                      + " is outside "
                                      + in.name()
                                      + "'s limit"
                                      + String.format(where, range(limit))));
                }
                if (!(value instanceof WorkflowStep.Arg.ParameterRef ref)) return;
                Parameter p = params.get(ref.parameter());
                Fields f = paramFields.get(ref.parameter());
                if (p == null || f == null) return;
                // A range in K against a limit in degC would compare numbers that mean different
                // things.
                String limitUnit = limitUnit(in, arg);
                if (!p.unit().isEmpty() && !limitUnit.isEmpty() && !p.unit().equals(limitUnit)) {
                  report.error(
                      f.node("unit").orElse(f.map()),
                      "parameter '"
                          + p.name()
                          + "' is in "
                          + p.unit()
                          + " but "
                          + in.name()
                          + "'s limit for "
                          + arg
                          + " is in "
                          + limitUnit
                          + " (expected unit: "
                          + limitUnit
                          + ")");
                  return;
                }
                double lo;
                double hi;
                if (p instanceof Parameter.Continuous c) {
                  lo = c.min();
                  hi = c.max();
                } else if (p instanceof Parameter.IntegerRange r) {
                  lo = r.min();
                  hi = r.max();
                } else if (p instanceof Parameter.Discrete d) {
                  lo = d.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
                  hi = d.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                } else {
                  return;
                }
                if (limit.min().isPresent() && lo < limit.min().getAsDouble()) {
                  YamlNode at = f.node("min").or(() -> f.node("values")).orElse(f.map());
                  report.error(
                      at,
                      "parameter '"
                          + p.name()
                          + "' goes down to "
                          + Numbers.text(lo)
                          + ", below "
                          + in.name()
                          + "'s limit for "
                          + arg
                          + String.format(
                              where, "values >= " + Numbers.text(limit.min().getAsDouble())));
                }
                if (limit.max().isPresent() && hi > limit.max().getAsDouble()) {
                  YamlNode at = f.node("max").or(() -> f.node("values")).orElse(f.map());
                  report.error(
                      at,
                      "parameter '"
                          + p.name()
                          + "' goes up to "
                          + Numbers.text(hi)
                          + ", above "
                          + in.name()
                          + "'s limit for "
                          + arg
                          + String.format(
                              where, "values <= " + Numbers.text(limit.max().getAsDouble())));
                }
              });
    }
  }

  private static String limitUnit(InstrumentConfig in, String argument) {
    if (in.spec().section().get("limits") instanceof Map<?, ?> limits
        && limits.get(argument) instanceof Map<?, ?> limit
        && limit.get("unit") != null) {
      return String.valueOf(limit.get("unit"));
    }
    return "";
  }

  private static String range(Limit l) {
    if (l.min().isPresent() && l.max().isPresent()) {
      return "a value from "
          + Numbers.text(l.min().getAsDouble())
          + " to "
          + Numbers.text(l.max().getAsDouble());
    }
    return l.min().isPresent()
        ? "a value >= " + Numbers.text(l.min().getAsDouble())
        : "a value <= " + Numbers.text(l.max().getAsDouble());
  }
}
