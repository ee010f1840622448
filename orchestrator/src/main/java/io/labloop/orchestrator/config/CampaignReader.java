package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.CampaignConfig.ObjectiveSource;
import io.labloop.orchestrator.config.CampaignConfig.OutputRef;
import io.labloop.orchestrator.config.WorkflowReader.Step;
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
import org.quartz.CronExpression;

/**
 * Reads a {@code campaign.yaml} tree against its lab into a {@link CampaignConfig}, checking
 * everything that can be checked before an instrument is touched: types and ranges, that every
 * {@code $parameter} and {@code $step.output} resolves to an earlier step, that instruments and
 * commands exist, that objectives come from real outputs, that the parameter ranges stay within the
 * instruments' limits for the arguments they feed, and that the constraints can hold.
 *
 * <p>The space is read by {@link SpaceReader} and the workflow by {@link WorkflowReader}; this
 * class reads the rest (objectives, planner, budget, stop rules, schedule, approval, achieved
 * values) and the checks that need them all (limits, parameters no step uses).
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

  /** Where a CSV named by the campaign is read from and its problems reported. */
  interface Files {
    Report report(Path file);

    Optional<String> read(Path file, Report report);
  }

  private final Files files;

  CampaignReader(Files files) {
    this.files = files;
  }

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
    int beforeWorkflow = report.count();
    List<Step> steps = WorkflowReader.read(c, lab, paramFields.keySet(), report);
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
      WorkflowReader.checkUsed(root, paramFields.keySet(), steps, report);
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
            achieved));
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
                    WorkflowReader.outputRef(
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
              if (!k.equals("type") && !k.equals("seed")) options.put(k, e.value().plain());
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
                                      WorkflowReader.outputRef(
                                          r.startsWith("$") ? r.substring(1) : r,
                                          e.value(),
                                          steps,
                                          report))
                              .ifPresent(r -> out.put(e.key(), r));
                        }));
    return out;
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
