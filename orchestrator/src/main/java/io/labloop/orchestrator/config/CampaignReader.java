package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.CampaignConfig.ObjectiveSource;
import io.labloop.orchestrator.config.CampaignConfig.OutputRef;
import io.labloop.orchestrator.config.YamlNode.Scalar;
import io.labloop.planners.Objective;
import io.labloop.planners.PlannerProblem;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.Space;
import io.labloop.settings.Spelling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Reads a {@code campaign.yaml} tree against its lab into a {@link CampaignConfig}, checking
 * everything that can be checked before an instrument is touched: types and ranges, that every
 * {@code $parameter} and {@code $step.output} resolves to an earlier step, that instruments and
 * commands exist, that objectives come from real outputs, that the parameter ranges stay within the
 * instruments' limits for the arguments they feed, and that the constraints can hold.
 */
final class CampaignReader {

  static final List<String> TOP_KEYS =
      List.of(
          "campaign",
          "description",
          "lab",
          "parameters",
          "constraints",
          "candidates",
          "workflow",
          "objectives",
          "planner",
          "budget",
          "stop",
          "on-interrupt",
          "schedule",
          "approval",
          "achieved");
  static final List<String> GOALS = List.of("maximize", "minimize", "target");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** Where a CSV named by the campaign is read from and its problems reported. */
  interface Files {
    Report report(Path file);

    Optional<String> read(Path file, Report report);
  }

  private final Files files;

  CampaignReader(Files files) {
    this.files = files;
  }

  /** A step as read; {@code broken} when its instrument or command is not in the lab. */
  record Step(WorkflowStep step, YamlNode node, Optional<CommandConfig> command, boolean broken) {}

  Optional<CampaignConfig> read(
      Path file, String text, YamlNode root, Optional<LabConfig> lab, Report report) {
    int before = report.count();
    Optional<Fields> top = Fields.of(root, report, "a map starting with 'campaign: NAME'");
    if (top.isEmpty()) return Optional.empty();
    Fields c = top.get();
    c.allowOnly(TOP_KEYS);
    c.require("campaign", "the campaign's name, e.g. campaign: silver-nanoparticles");
    Optional<String> name = c.string("campaign");
    if (name.isPresent()) {
      Optional<String> bad = CampaignName.problem(name.get());
      if (bad.isPresent()) {
        report.error(c.node("campaign").orElseThrow(), bad.get());
        name = Optional.empty();
      }
    }
    Path dir = file.toAbsolutePath().getParent();

    SpaceReader.Result space = new SpaceReader(files).read(c, dir, report);
    Map<String, Fields> paramFields = space.declared();

    // The workflow, against the lab.
    List<Step> steps = new ArrayList<>();
    int beforeWorkflow = report.count();
    if (c.require("workflow", "a list of steps, each { instrument, command, args }")) {
      c.list("workflow", "a list of steps, each { instrument, command, args }")
          .ifPresent(
              items -> {
                if (items.isEmpty())
                  report.error(
                      c.node("workflow").orElseThrow(), "no steps (expected at least one)");
                for (YamlNode item : items)
                  step(item, lab, paramFields.keySet(), steps, report).ifPresent(steps::add);
              });
    }
    boolean workflowClean = report.count() == beforeWorkflow;
    Map<String, Step> byId = new LinkedHashMap<>();
    steps.forEach(s -> byId.put(s.step().id(), s));

    List<ObjectiveSource> objectives = new ArrayList<>();
    if (c.require("objectives", "a list of objectives, each { name, from, goal }")) {
      c.list("objectives", "a list of objectives, each { name, from, goal }")
          .ifPresent(
              items -> {
                if (items.isEmpty())
                  report.error(
                      c.node("objectives").orElseThrow(), "no objectives (expected at least one)");
                Set<String> names = new LinkedHashSet<>();
                for (YamlNode item : items)
                  objective(item, byId, names, report).ifPresent(objectives::add);
              });
    }
    Optional<PlannerSpec> planner = planner(c, space.space(), report);
    planner.ifPresent(
        p -> {
          // A noise sd is in the objective's units; with several objectives the model sees a
          // scalarised loss, which has none.
          if (p.options().get("noise") instanceof Number && objectives.size() > 1) {
            report.error(
                c.node("planner").orElseThrow().keyPosition(List.of("noise")),
                "a noise standard deviation is in one "
                    + "objective's units, and this campaign has "
                    + objectives.size()
                    + " objectives; use auto or none");
          }
        });
    List<CampaignConfig.PriorSource> prior =
        c.node("planner").isPresent()
            ? new PriorDataReader(files)
                .read(c.node("planner").get(), dir, space.space(), objectives, report)
            : List.of();
    CampaignConfig.Budget budget = budget(c, report);
    CampaignConfig.StopRules stop = stop(c, objectives, report);
    CampaignConfig.OnInterrupt onInterrupt =
        c.choice("on-interrupt", List.of("fail", "retry", "hold"))
            .map(v -> CampaignConfig.OnInterrupt.valueOf(v.toUpperCase(Locale.ROOT)))
            .orElse(CampaignConfig.OnInterrupt.FAIL);
    Optional<String> schedule = schedule(c, report);
    CampaignConfig.Approval approval =
        c.choice("approval", List.of("auto", "manual"))
            .map(v -> CampaignConfig.Approval.valueOf(v.toUpperCase(Locale.ROOT)))
            .orElse(CampaignConfig.Approval.AUTO);
    Map<String, OutputRef> achieved = achieved(c, paramFields.keySet(), byId, report);

    if (space.complete() && workflowClean) {
      checkUsed(root, paramFields.keySet(), steps, report);
      lab.ifPresent(
          l -> LimitCheck.check(l, steps, space.parameters(), paramFields, space.pool(), report));
    }
    if (report.count() != before
        || name.isEmpty()
        || space.space().isEmpty()
        || planner.isEmpty()
        || lab.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CampaignConfig(
            file,
            text,
            sha256(text),
            name.get(),
            lab.get(),
            space.space().get(),
            objectives,
            steps.stream().map(Step::step).toList(),
            planner.get(),
            budget,
            stop,
            onInterrupt,
            schedule,
            approval,
            achieved,
            prior));
  }

  // ---- workflow ----

  private Optional<Step> step(
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
  private static Optional<OutputRef> outputRef(
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

  // ---- objectives, planner, budget, rules ----

  private static Optional<ObjectiveSource> objective(
      YamlNode node, Map<String, Step> steps, Set<String> names, Report report) {
    Optional<Fields> f = Fields.of(node, report, "a map { name, from, goal }");
    if (f.isEmpty()) return Optional.empty();
    Fields o = f.get();
    o.allowOnly(
        List.of(
            "name",
            "from",
            "goal",
            "value",
            "tolerance",
            "unit",
            "description",
            "worst-acceptable"));
    int before = report.count();
    o.require("name", "the objective's name, e.g. peak");
    o.require("from", "the step output it is read from, e.g. measure.peak");
    o.require("goal", "one of " + String.join(", ", GOALS));
    Optional<String> name = o.string("name");
    name.ifPresent(
        n -> {
          if (!names.add(n))
            report.error(
                o.node("name").orElseThrow(),
                "objective '" + n + "' is defined twice (expected each name once)");
        });
    Optional<OutputRef> from =
        o.string("from")
            .flatMap(
                r ->
                    outputRef(
                        r.startsWith("$") ? r.substring(1) : r,
                        o.node("from").orElseThrow(),
                        steps,
                        report));
    Optional<String> goal = o.choice("goal", GOALS);
    Optional<Objective> objective = Optional.empty();
    // worst-acceptable: the value beyond which a result is of no use; with several objectives it
    // bounds the hypervolume's reference point. For a target it is a distance from the target.
    double worst = o.number("worst-acceptable").orElse(Double.NaN);
    if (goal.isPresent() && goal.get().equals("target") && worst < 0) {
      report.error(
          o.node("worst-acceptable").orElseThrow(),
          "worst-acceptable "
              + Numbers.text(worst)
              + " with goal: target (expected a distance from the target, >= 0)");
    }
    if (goal.isPresent() && name.isPresent()) {
      if (goal.get().equals("target")) {
        o.require("value", "the target value");
        o.require("tolerance", "how close counts as reached, e.g. tolerance: 5");
        Optional<Double> value = o.number("value");
        Optional<Double> tolerance = o.number("tolerance");
        tolerance.ifPresent(
            t -> {
              if (t < 0)
                report.error(
                    o.node("tolerance").orElseThrow(),
                    "tolerance " + Numbers.text(t) + " (expected a number >= 0)");
            });
        if (value.isPresent() && tolerance.isPresent() && tolerance.get() >= 0) {
          objective =
              Optional.of(new Objective.Target(name.get(), value.get(), tolerance.get(), worst));
        }
      } else {
        for (String k : List.of("value", "tolerance")) {
          if (o.has(k))
            report.error(
                o.keyPos(k),
                "'" + k + "' with goal: " + goal.get() + " (expected it only with goal: target)");
        }
        objective =
            Optional.of(
                goal.get().equals("maximize")
                    ? new Objective.Maximize(name.get(), worst)
                    : new Objective.Minimize(name.get(), worst));
      }
    }
    Optional<String> unit = o.string("unit");
    if (report.count() != before || objective.isEmpty() || from.isEmpty()) return Optional.empty();
    return Optional.of(new ObjectiveSource(objective.get(), from.get(), unit.orElse("")));
  }

  /** The planner block, checked by the planners module against the space when there is one. */
  private static Optional<PlannerSpec> planner(Fields c, Optional<Space> space, Report report) {
    Optional<PlannerSpec> planner = plannerSpec(c, report);
    if (planner.isEmpty()) return planner;
    YamlNode block = c.node("planner").orElseThrow();
    String type = planner.get().type();
    if (!Planners.TYPES.contains(type)) {
      report.error(
          block.find(List.of("type")),
          "unknown planner type '" + type + "' (" + Spelling.hint(type, Planners.TYPES) + ")");
      return Optional.empty();
    }
    int before = report.count();
    for (PlannerProblem p : Planners.check(planner.get(), space.orElse(null))) {
      report.error(
          p.option().isEmpty()
              ? block.find(List.of("type")).pos()
              : block.keyPosition(List.of(p.option())),
          p.message());
    }
    return report.count() == before ? planner : Optional.empty();
  }

  /** A Quartz cron expression for a planned start. */
  private static Optional<String> schedule(Fields c, Report report) {
    Optional<String> schedule = c.string("schedule");
    schedule.ifPresent(
        s -> {
          try {
            new CronExpression(s);
          } catch (ParseException e) {
            report.error(
                c.node("schedule").orElseThrow(),
                "schedule '"
                    + s
                    + "' is not a cron expression: "
                    + e.getMessage()
                    + " (expected seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 ? * MON-FRI')");
          }
        });
    return schedule;
  }

  private static Optional<PlannerSpec> plannerSpec(Fields c, Report report) {
    if (!c.require("planner", "a planner block, e.g. planner: { type: bayesian, seed: 42 }"))
      return Optional.empty();
    Optional<Fields> f = c.section("planner", "a map with type: and seed:");
    if (f.isEmpty()) return Optional.empty();
    Fields p = f.get();
    int before = report.count();
    p.require("type", "the planner's name, e.g. bayesian, sobol or random");
    Optional<String> type = p.string("type");
    long seed = p.whole("seed", 0).orElse(0);
    Map<String, Object> options = new LinkedHashMap<>();
    p.map()
        .entries()
        .forEach(
            (k, e) -> {
              // prior-data is read by PriorDataReader; the planner sees the rows, not the option.
              if (!k.equals("type") && !k.equals("seed") && !k.equals("prior-data"))
                options.put(k, e.value().plain());
            });
    if (report.count() != before || type.isEmpty()) return Optional.empty();
    return Optional.of(new PlannerSpec(type.get(), seed, options));
  }

  private static CampaignConfig.Budget budget(Fields c, Report report) {
    if (!c.require("budget", "a budget, e.g. budget: { experiments: 60, wall-time: 8h }")) {
      return new CampaignConfig.Budget(OptionalInt.empty(), Optional.empty());
    }
    Optional<Fields> f = c.section("budget", "a map with experiments: and/or wall-time:");
    if (f.isEmpty()) return new CampaignConfig.Budget(OptionalInt.empty(), Optional.empty());
    Fields b = f.get();
    b.allowOnly(List.of("experiments", "wall-time"));
    if (!b.has("experiments") && !b.has("wall-time")) {
      report.error(b.map(), "budget without experiments or wall-time (expected at least one)");
    }
    OptionalLong experiments = b.whole("experiments", 1);
    Optional<Duration> wall = b.duration("wall-time");
    return new CampaignConfig.Budget(
        experiments.isPresent()
            ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, experiments.getAsLong()))
            : OptionalInt.empty(),
        wall);
  }

  private static CampaignConfig.StopRules stop(
      Fields c, List<ObjectiveSource> objectives, Report report) {
    Optional<Fields> f = c.section("stop", "a map with target-reached: and/or no-improvement:");
    if (f.isEmpty()) return new CampaignConfig.StopRules(false, OptionalInt.empty());
    Fields s = f.get();
    s.allowOnly(List.of("target-reached", "no-improvement"));
    boolean target = s.flag("target-reached").orElse(false);
    if (target
        && !objectives.isEmpty()
        && objectives.stream().noneMatch(o -> o.objective() instanceof Objective.Target)) {
      report.error(
          s.node("target-reached").orElseThrow(),
          "target-reached with no target objective (expected an objective with goal: target)");
    }
    OptionalLong n = s.whole("no-improvement", 1);
    return new CampaignConfig.StopRules(
        target,
        n.isPresent()
            ? OptionalInt.of((int) Math.min(Integer.MAX_VALUE, n.getAsLong()))
            : OptionalInt.empty());
  }

  private static Map<String, OutputRef> achieved(
      Fields c, Set<String> parameters, Map<String, Step> steps, Report report) {
    Map<String, OutputRef> out = new LinkedHashMap<>();
    c.section("achieved", "a map of parameter name to step.output")
        .ifPresent(
            a ->
                a.map()
                    .entries()
                    .values()
                    .forEach(
                        e -> {
                          if (!parameters.contains(e.key())) {
                            report.error(
                                e.keyPos(),
                                "achieved value for '"
                                    + e.key()
                                    + "', which is not a parameter ("
                                    + Spelling.hint(e.key(), parameters)
                                    + ")");
                            return;
                          }
                          a.text(e.value(), e.key())
                              .flatMap(
                                  r ->
                                      outputRef(
                                          r.startsWith("$") ? r.substring(1) : r,
                                          e.value(),
                                          steps,
                                          report))
                              .ifPresent(r -> out.put(e.key(), r));
                        }));
    return out;
  }

  // ---- cross-checks ----

  /**
   * A parameter that no step passes to an instrument cannot change anything: almost always a slip.
   */
  private static void checkUsed(
      YamlNode root, Set<String> params, List<Step> steps, Report report) {
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

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
