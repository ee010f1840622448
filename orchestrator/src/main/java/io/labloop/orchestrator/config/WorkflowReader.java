package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.CampaignConfig.OutputRef;
import io.labloop.orchestrator.config.YamlNode.Scalar;
import io.labloop.settings.Spelling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code workflow:} of a campaign, against its lab: every step's instrument and command exist,
 * its step id is unique, its arguments are the ones the command takes (its {@code inputs:}, else
 * the placeholders of its templates), and every {@code $parameter} and {@code $step.output} it
 * passes resolves to a parameter or to an output of an earlier step. {@link #outputRef} is also how
 * objectives and achieved values name the outputs they are read from.
 */
final class WorkflowReader {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private WorkflowReader() {}

  /** A step as read; {@code broken} when its instrument or command is not in the lab. */
  record Step(WorkflowStep step, YamlNode node, Optional<CommandConfig> command, boolean broken) {}

  /**
   * The steps of {@code workflow:}, in order; a step with problems is among them when it has an
   * instrument, a command and an id, so that later references to it are checked.
   */
  static List<Step> read(Fields c, Optional<LabConfig> lab, Set<String> parameters, Report report) {
    List<Step> steps = new ArrayList<>();
    if (c.require("workflow", "a list of steps, each { instrument, command, args }")) {
      c.list("workflow", "a list of steps, each { instrument, command, args }")
          .ifPresent(
              items -> {
                if (items.isEmpty())
                  report.error(
                      c.node("workflow").orElseThrow(), "no steps (expected at least one)");
                for (YamlNode item : items)
                  step(item, lab, parameters, steps, report).ifPresent(steps::add);
              });
    }
    return steps;
  }

  private static Optional<Step> step(
      YamlNode node,
      Optional<LabConfig> lab,
      Set<String> parameters,
      List<Step> earlier,
      Report report) {
    Optional<Fields> f = Fields.of(node, report, "a map { instrument, command, args }");
    if (f.isEmpty()) return Optional.empty();
    Fields s = f.get();
    s.allowOnly(List.of("id", "instrument", "command", "args", "description"));
    s.require("instrument", "the instrument's name in the lab");
    s.require("command", "the command's name on that instrument");
    Optional<String> instrument = s.string("instrument");
    Optional<String> command = s.string("command");
    Optional<InstrumentConfig> in = Optional.empty();
    Optional<CommandConfig> cmd = Optional.empty();
    if (lab.isPresent() && instrument.isPresent()) {
      in = Optional.ofNullable(lab.get().instruments().get(instrument.get()));
      if (in.isEmpty()) {
        report.error(
            s.node("instrument").orElseThrow(),
            "unknown instrument '"
                + instrument.get()
                + "' in lab "
                + lab.get().name()
                + " ("
                + Spelling.hint(instrument.get(), lab.get().instruments().keySet())
                + ")");
      } else if (command.isPresent()) {
        cmd = Optional.ofNullable(in.get().commands().get(command.get()));
        if (cmd.isEmpty()) {
          report.error(
              s.node("command").orElseThrow(),
              "unknown command '"
                  + command.get()
                  + "' of "
                  + instrument.get()
                  + " ("
                  + Spelling.hint(command.get(), in.get().commands().keySet())
                  + ")");
        }
      }
    }
    Optional<String> id = s.has("id") ? s.string("id") : command;
    id.ifPresent(
        i -> {
          for (Step e : earlier) {
            if (e.step().id().equals(i)) {
              report.error(
                  s.has("id") ? s.node("id").orElseThrow() : node,
                  "step id '"
                      + i
                      + "' is already used by an earlier step"
                      + " (expected an 'id:' that tells repeated commands apart)");
            }
          }
        });
    Map<String, WorkflowStep.Arg> args = new LinkedHashMap<>();
    s.section("args", "a map of argument name to a value, $parameter or $step.output")
        .ifPresent(
            a ->
                a.map()
                    .entries()
                    .values()
                    .forEach(
                        e ->
                            argument(e.value(), parameters, earlier, report)
                                .ifPresent(v -> args.put(e.key(), v))));
    if (in.isPresent() && cmd.isPresent()) checkArguments(s, in.get(), cmd.get(), report);
    // A step with problems is still returned (the campaign is rejected anyway) so that later
    // references to it are checked instead of being reported as dangling.
    if (instrument.isEmpty() || command.isEmpty() || id.isEmpty()) return Optional.empty();
    boolean broken = lab.isPresent() && cmd.isEmpty();
    return Optional.of(
        new Step(
            new WorkflowStep(id.get(), instrument.get(), command.get(), args), node, cmd, broken));
  }

  private static Optional<WorkflowStep.Arg> argument(
      YamlNode value, Set<String> parameters, List<Step> earlier, Report report) {
    if (!(value instanceof Scalar sc
        && sc.value() instanceof String text
        && text.startsWith("$"))) {
      return Optional.of(new WorkflowStep.Arg.Literal(value.plain()));
    }
    String ref = text.substring(1);
    int dot = ref.indexOf('.');
    if (dot < 0) {
      if (parameters.contains(ref)) return Optional.of(new WorkflowStep.Arg.ParameterRef(ref));
      report.error(
          value, "'$" + ref + "' is not a parameter (" + Spelling.hint(ref, parameters) + ")");
      return Optional.empty();
    }
    return outputRef(
            ref,
            value,
            earlier.stream()
                .collect(LinkedHashMap::new, (m, s) -> m.put(s.step().id(), s), Map::putAll),
            report)
        .map(WorkflowStep.Arg.OutputArg::new);
  }

  /** {@code step.output} against the steps before this point. */
  static Optional<OutputRef> outputRef(
      String ref, YamlNode at, Map<String, Step> steps, Report report) {
    int dot = ref.indexOf('.');
    if (dot <= 0 || dot == ref.length() - 1) {
      report.error(
          at, "'" + ref + "' is not a step output (expected step.output, e.g. measure.peak)");
      return Optional.empty();
    }
    String stepId = ref.substring(0, dot);
    String output = ref.substring(dot + 1);
    Step step = steps.get(stepId);
    if (step == null && steps.isEmpty()) {
      report.error(
          at,
          "'"
              + ref
              + "' refers to step '"
              + stepId
              + "', but no step runs before this one"
              + " (expected an output of an earlier step)");
      return Optional.empty();
    }
    if (step == null && steps.values().stream().anyMatch(Step::broken)) {
      return Optional.empty(); // probably the step whose command is unknown: reported there
    }
    if (step == null) {
      report.error(
          at,
          "'"
              + ref
              + "' refers to step '"
              + stepId
              + "', which is not an earlier step ("
              + Spelling.hint(stepId, steps.keySet())
              + ")");
      return Optional.empty();
    }
    if (step.command().isPresent() && !step.command().get().outputs().contains(output)) {
      List<String> outs = step.command().get().outputs();
      report.error(
          at,
          "'"
              + ref
              + "': "
              + step.step().instrument()
              + "."
              + step.step().command()
              + " has no output '"
              + output
              + "' ("
              + (outs.isEmpty() ? "it declares no outputs" : Spelling.hint(output, outs))
              + ")");
      return Optional.empty();
    }
    return Optional.of(new OutputRef(stepId, output));
  }

  /**
   * The arguments a command needs: its {@code inputs:} list if it has one (then nothing else is
   * accepted), else the {@code {name}} placeholders of its templates (send, payload, ...).
   */
  private static void checkArguments(
      Fields s, InstrumentConfig in, CommandConfig cmd, Report report) {
    Object section = ((Map<?, ?>) in.spec().section().get("commands")).get(cmd.name());
    if (!(section instanceof Map<?, ?> cmdSection)) return;
    Set<String> given =
        s.section("args", "a map").map(a -> a.map().entries().keySet()).orElse(Set.of());
    Set<String> needed = new LinkedHashSet<>();
    boolean declared = cmdSection.get("inputs") instanceof List<?>;
    if (declared) {
      for (Object i : (List<?>) cmdSection.get("inputs")) {
        needed.add(
            i instanceof Map<?, ?> m && m.get("name") != null
                ? String.valueOf(m.get("name"))
                : String.valueOf(i));
      }
    } else {
      placeholders(cmdSection, needed);
    }
    for (String n : needed) {
      if (!given.contains(n)) {
        report.error(
            s.map(),
            "missing argument '"
                + n
                + "' of "
                + in.name()
                + "."
                + cmd.name()
                + " (expected args: { "
                + n
                + ": ... })");
      }
    }
    if (declared) {
      Fields args = s.section("args", "a map").orElse(null);
      for (String g : given) {
        if (!needed.contains(g)) {
          report.error(
              args.keyPos(g),
              "unknown argument '"
                  + g
                  + "' of "
                  + in.name()
                  + "."
                  + cmd.name()
                  + " ("
                  + Spelling.hint(g, needed)
                  + ")");
        }
      }
    }
  }

  private static void placeholders(Object value, Set<String> into) {
    if (value instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (!"requires".equals(k)
                && !"outputs".equals(k)
                && !"expect".equals(k)
                && !"error".equals(k)) placeholders(v, into);
          });
    } else if (value instanceof List<?> l) {
      l.forEach(v -> placeholders(v, into));
    } else if (value instanceof String t) {
      Matcher m = PLACEHOLDER.matcher(t);
      while (m.find()) into.add(m.group(1));
    }
  }

  /**
   * A parameter that no step passes to an instrument cannot change anything: almost always a slip.
   */
  static void checkUsed(YamlNode root, Set<String> params, List<Step> steps, Report report) {
    if (steps.isEmpty()) return;
    Set<String> used = new LinkedHashSet<>();
    for (Step s : steps) {
      s.step()
          .args()
          .values()
          .forEach(
              a -> {
                if (a instanceof WorkflowStep.Arg.ParameterRef p) used.add(p.parameter());
              });
    }
    params.forEach(
        name -> {
          if (!used.contains(name)) {
            report.error(
                root.keyPosition(List.of("parameters", name)),
                "parameter '"
                    + name
                    + "' is not passed to any instrument (expected $"
                    + name
                    + " in a workflow step's args)");
          }
        });
  }
}
