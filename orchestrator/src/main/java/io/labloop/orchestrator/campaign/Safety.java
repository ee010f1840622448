package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.Limit;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.planners.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Limits and interlocks. Limits are checked on the values actually about to be sent, whatever
 * produced them (planner, an earlier output, an API caller); before a campaign starts, its space is
 * checked against the limits so that a campaign that could ask for an out-of-range value does not
 * start at all.
 */
final class Safety {

  private Safety() {}

  /**
   * The first limit {@code arguments} break on {@code instrument}, as a message naming the limit.
   */
  static Optional<String> limitViolation(
      InstrumentConfig instrument, Map<String, Object> arguments) {
    for (Map.Entry<String, Object> a : arguments.entrySet()) {
      Limit limit = instrument.limits().get(a.getKey());
      if (limit == null) continue;
      if (!(a.getValue() instanceof Number n)) {
        return Optional.of(
            instrument.name()
                + " limit "
                + a.getKey()
                + ": value "
                + a.getValue()
                + " is not a number");
      }
      double v = n.doubleValue();
      if (Double.isNaN(v))
        return Optional.of(instrument.name() + " limit " + a.getKey() + ": value is NaN");
      Optional<String> violation = limit.violation(instrument.name(), v);
      if (violation.isPresent()) return violation;
    }
    return Optional.empty();
  }

  /**
   * Every way the campaign does not fit the lab: unknown instruments or commands, a space wider
   * than a limit.
   */
  static List<String> problems(CampaignConfig campaign, Lab lab) {
    List<String> problems = new ArrayList<>();
    for (WorkflowStep step : campaign.workflow()) {
      InstrumentConfig instrument = lab.config().instruments().get(step.instrument());
      if (instrument == null) {
        problems.add(
            "step " + step.id() + ": the lab has no instrument '" + step.instrument() + "'");
        continue;
      }
      CommandConfig command = instrument.commands().get(step.command());
      if (command == null) {
        problems.add(
            "step "
                + step.id()
                + ": instrument "
                + step.instrument()
                + " has no command '"
                + step.command()
                + "'");
      }
      for (Map.Entry<String, WorkflowStep.Arg> arg : step.args().entrySet()) {
        Limit limit = instrument.limits().get(arg.getKey());
        if (limit == null) continue;
        if (arg.getValue() instanceof WorkflowStep.Arg.ParameterRef ref) {
          Parameter p = campaign.space().parameter(ref.parameter());
          double[] range = range(p);
          if (range == null) continue;
          for (double v : range) {
            limit
                .violation(instrument.name(), v)
                .ifPresent(
                    m ->
                        problems.add(
                            "parameter "
                                + p.name()
                                + " can reach "
                                + v
                                + " but "
                                + m.replace(" violated: " + fmt(v), "")));
          }
        } else if (arg.getValue() instanceof WorkflowStep.Arg.Literal lit
            && lit.value() instanceof Number n) {
          limit
              .violation(instrument.name(), n.doubleValue())
              .ifPresent(m -> problems.add("step " + step.id() + ": " + m));
        }
      }
    }
    return problems;
  }

  private static double[] range(Parameter p) {
    if (p instanceof Parameter.Continuous c) return new double[] {c.min(), c.max()};
    if (p instanceof Parameter.IntegerRange r) return new double[] {r.min(), r.max()};
    if (p instanceof Parameter.Discrete d)
      return d.values().stream().mapToDouble(Double::doubleValue).toArray();
    return null;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** True if an instrument variable's value satisfies what an interlock requires. */
  static boolean satisfies(Object actual, Object required) {
    if (actual == null) return false;
    if (actual instanceof Number a && required instanceof Number r)
      return a.doubleValue() == r.doubleValue();
    return actual.toString().trim().equalsIgnoreCase(required.toString().trim());
  }
}
