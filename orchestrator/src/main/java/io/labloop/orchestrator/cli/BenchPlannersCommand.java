package io.labloop.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.labloop.orchestrator.bench.planners.MultiObjectiveBenchmark;
import io.labloop.orchestrator.bench.planners.PlannerBenchmark;
import io.labloop.orchestrator.bench.planners.PlannerBenchmarkProblem;
import io.labloop.orchestrator.bench.planners.PlannerBenchmarkTiming;
import io.labloop.orchestrator.bench.planners.WarmStartBenchmark;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.simulators.functions.TestFunctions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench planners}: runs planners on test problems with many seeds and prints, per
 * problem and planner, the median and inter-quartile range of simple regret at checkpoints and the
 * median time per suggestion. {@code --problem targets} runs the whole target table of the
 * planners' issue, each problem with its own budget; {@code --timing} measures time per suggestion
 * against the number of observations instead.
 */
@Command(
    name = "planners",
    mixinStandardHelpOptions = true,
    description = {
      "Measure planners on test functions and datasets (regret vs evaluations, time per suggestion).",
      "Example: labloop bench planners --problem targets --planner bayesian,random --seeds 10"
    })
public final class BenchPlannersCommand implements Callable<Integer> {

  private static final Path SHIPPED_DATASET = Path.of("config", "datasets", "direct_arylation.csv");

  @Spec CommandSpec spec;

  @Option(
      names = "--problem",
      split = ",",
      paramLabel = "NAME",
      description =
          "branin, hartmann3, hartmann6, ackley, ackley10, levy, rosenbrock, rosenbrock10, any of them + '-noisy' "
              + "(Gaussian noise sd 0.1, regret on the noiseless function), direct-arylation, or 'targets' (the issue's table);"
              + " two objectives: branin-currin, dtlz2, or 'moo' (both at 20/40/80 evaluations, hypervolume regret);"
              + " warm-start (direct arylation, one solvent new, the others prior data; --solvent NAME)")
  List<String> problems = new ArrayList<>();

  @Option(
      names = "--planner",
      split = ",",
      paramLabel = "NAME",
      defaultValue = "bayesian",
      description =
          "planner type(s): "
              + "random, sobol, lhs, grid, bayesian, or ehvi / parego (bayesian with that acquisition)"
              + " (default: ${DEFAULT-VALUE})")
  List<String> planners;

  @Option(
      names = "--evals",
      paramLabel = "N",
      description = "evaluations per run (default 40; 'targets' uses each problem's budget)")
  Integer evals;

  @Option(
      names = "--seeds",
      paramLabel = "K",
      defaultValue = "10",
      description = "seeds per problem and planner (default ${DEFAULT-VALUE})")
  int seeds;

  @Option(
      names = "--batch",
      paramLabel = "B",
      description = "suggestions per planner call (default 1; direct-arylation 5)")
  Integer batch;

  @Option(
      names = "--solvent",
      paramLabel = "NAME",
      description = "warm-start: the solvent that is the new task (default: each in turn)")
  private String solvent;

  @Option(names = "--json", paramLabel = "FILE", description = "write every curve to FILE")
  Path json;

  @Option(
      names = "--expression",
      paramLabel = "EXPR",
      description = "minimise this expression (EvalEx syntax) over --bounds")
  String expression;

  @Option(
      names = "--bounds",
      paramLabel = "x1=0:1,...",
      description = "bounds of the --expression variables")
  String bounds;

  @Option(
      names = "--minimum",
      paramLabel = "VALUE",
      description = "known minimum of --expression (regret is relative to it)")
  Double minimum;

  @Option(
      names = "--dataset",
      paramLabel = "FILE.csv",
      description = "replay a table as a discrete pool")
  Path dataset;

  @Option(
      names = "--inputs",
      split = ",",
      paramLabel = "COL",
      description = "the --dataset columns the planner chooses")
  List<String> inputs;

  @Option(names = "--output", paramLabel = "COL", description = "the --dataset column measured")
  String output;

  @Option(
      names = "--goal",
      paramLabel = "max|min",
      defaultValue = "max",
      description = "goal for --output (default ${DEFAULT-VALUE})")
  String goal;

  @Option(
      names = "--planner-option",
      split = ",",
      paramLabel = "KEY=VALUE",
      description =
          "a planner option as in a campaign's planner: block, e.g. noise=none or acquisition=hedge (repeatable)")
  List<String> plannerOptions = new ArrayList<>();

  @Option(
      names = "--timing",
      description =
          "measure time per suggestion at N = 100, 500, 2000 (6-D) and batch 16 at N = 700 (10-D)")
  boolean timing;

  @Option(
      names = "--repeats",
      paramLabel = "R",
      defaultValue = "3",
      description = "repeats per --timing case (default ${DEFAULT-VALUE})")
  int repeats;

  /** A problem with its budget, batch and the evaluation counts at which to report. */
  private record Task(PlannerBenchmarkProblem problem, int evals, int batch, int[] checkpoints) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (timing) {
      return timing(out);
    }
    if (seeds < 1) throw new UserError("--seeds must be >= 1");
    for (String p : planners) {
      if ((!Planners.TYPES.contains(p) && !"ehvi".equals(p) && !"parego".equals(p))
          || "replay".equals(p)) {
        throw new UserError(
            "--planner: unknown planner '"
                + p
                + "'; expected one of random, sobol, lhs, grid, bayesian, ehvi, parego");
      }
    }
    Map<String, Object> options = plannerOptions();
    for (String p : planners) {
      var problems = Planners.check(withOptions(MultiObjectiveBenchmark.spec(p, 0), options), null);
      if (!problems.isEmpty()) throw new UserError("--planner-option: " + problems.get(0));
    }
    List<MultiObjectiveBenchmark.Problem> moo = new ArrayList<>();
    for (String name : List.copyOf(problems)) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("moo")) {
        MultiObjectiveBenchmark.NAMES.forEach(
            m -> moo.add(MultiObjectiveBenchmark.problem(m).orElseThrow()));
        problems.remove(name);
      } else if (MultiObjectiveBenchmark.problem(n).isPresent()) {
        moo.add(MultiObjectiveBenchmark.problem(n).orElseThrow());
        problems.remove(name);
      }
    }
    if (!moo.isEmpty()) {
      multiObjective(out, moo, options);
      if (problems.isEmpty() && expression == null && dataset == null) return ExitCodes.OK;
    }
    if (problems.removeIf(n -> n.toLowerCase(Locale.ROOT).startsWith("warm-start"))) {
      warmStart(out);
      if (problems.isEmpty() && expression == null && dataset == null) return ExitCodes.OK;
    }
    List<Task> tasks = tasks();
    List<PlannerBenchmark.Run> runs = new ArrayList<>();
    out.printf(
        Locale.ROOT,
        "%-18s %-9s %6s %5s %14s %24s %12s%n",
        "problem",
        "planner",
        "evals",
        "batch",
        "median regret",
        "IQR",
        "s/suggestion");
    for (Task task : tasks) {
      for (String planner : planners) {
        PlannerSpec ps = withOptions(MultiObjectiveBenchmark.spec(planner, 0), options);
        PlannerBenchmark bench = new PlannerBenchmark(task.problem(), ps.type(), ps.options());
        List<PlannerBenchmark.Run> these = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          PlannerBenchmark.Run run = bench.run(s, task.evals(), task.batch());
          these.add(run);
          spec.commandLine()
              .getErr()
              .printf(
                  Locale.ROOT,
                  "  %s %s seed %d: final regret %.4g%n",
                  task.problem().name(),
                  planner,
                  s,
                  run.regret().length == 0 ? Double.NaN : run.regret()[run.regret().length - 1]);
          spec.commandLine().getErr().flush();
        }
        runs.addAll(these);
        print(out, task, planner, these);
        out.flush();
      }
    }
    if (json != null) writeJson(runs);
    return ExitCodes.OK;
  }

  /** Two-objective problems: hypervolume regret at 20/40/80 (or --evals) evaluations, batch 1. */
  private void multiObjective(
      PrintWriter out, List<MultiObjectiveBenchmark.Problem> moo, Map<String, Object> options) {
    int n = evals == null ? 80 : evals;
    if (n < 1) throw new UserError("--evals must be >= 1");
    TreeSet<Integer> checkpoints = new TreeSet<>();
    for (int c : new int[] {20, 40, 80}) if (c < n) checkpoints.add(c);
    checkpoints.add(n);
    out.printf(
        Locale.ROOT,
        "%-14s %-9s %6s %20s %24s %12s%n",
        "problem",
        "planner",
        "evals",
        "median HV regret",
        "IQR",
        "s/suggestion");
    for (MultiObjectiveBenchmark.Problem problem : moo) {
      for (String planner : planners) {
        List<MultiObjectiveBenchmark.Run> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
          MultiObjectiveBenchmark.Run run =
              MultiObjectiveBenchmark.run(
                  problem,
                  withOptions(MultiObjectiveBenchmark.spec(planner, s), options),
                  planner,
                  n);
          runs.add(run);
          StringBuilder at = new StringBuilder();
          for (int c : checkpoints) {
            if (run.regret().length >= c)
              at.append(String.format(Locale.ROOT, " @%d %.4g", c, run.regret()[c - 1]));
          }
          spec.commandLine()
              .getErr()
              .printf(
                  Locale.ROOT,
                  "  %s %s seed %d: hypervolume regret%s%n",
                  problem.name(),
                  planner,
                  s,
                  at);
          spec.commandLine().getErr().flush();
        }
        double perSuggestion =
            PlannerBenchmark.Spread.of(
                    runs.stream().flatMapToDouble(r -> Arrays.stream(r.seconds())).toArray())
                .median();
        for (int c : checkpoints) {
          PlannerBenchmark.Spread sp =
              PlannerBenchmark.Spread.of(
                  runs.stream()
                      .filter(r -> r.regret().length >= c)
                      .mapToDouble(r -> r.regret()[c - 1])
                      .toArray());
          out.printf(
              Locale.ROOT,
              "%-14s %-9s %6d %20.4g   [%9.4g, %9.4g] %12.3f%n",
              problem.name(),
              planner,
              c,
              sp.median(),
              sp.q1(),
              sp.q3(),
              perSuggestion);
        }
        out.flush();
      }
    }
  }

  /** {@code --planner-option} values, numbers as numbers (as YAML would give them). */
  private Map<String, Object> plannerOptions() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String kv : plannerOptions) {
      String[] parts = kv.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank())
        throw new UserError("--planner-option: '" + kv + "' is not KEY=VALUE");
      String v = parts[1].strip();
      Object value = v;
      try {
        value = v.matches("-?\\d+") ? (Object) Long.parseLong(v) : (Object) Double.parseDouble(v);
      } catch (NumberFormatException e) {
        // not a number: kept as text
      }
      out.put(parts[0].strip(), value);
    }
    return out;
  }

  /** A bench label's planner with the --planner-option values added. */
  private static PlannerSpec withOptions(PlannerSpec spec, Map<String, Object> options) {
    Map<String, Object> all = new LinkedHashMap<>(spec.options());
    all.putAll(options);
    return new PlannerSpec(spec.type(), spec.seed(), all);
  }

  private List<Task> tasks() {
    List<Task> tasks = new ArrayList<>();
    if (expression != null) {
      if (bounds == null)
        throw new UserError("--expression needs --bounds, e.g. --bounds \"x1=0:1,x2=0:1\"");
      try {
        PlannerBenchmarkProblem p =
            PlannerBenchmarkProblem.expression(
                expression, bounds, minimum == null ? Double.NaN : minimum);
        tasks.add(task(p, evals == null ? 40 : evals, batch == null ? 1 : batch));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    if (dataset != null) {
      if (inputs == null || output == null)
        throw new UserError("--dataset needs --inputs a,b,c and --output y");
      try {
        tasks.add(
            task(
                PlannerBenchmarkProblem.dataset(dataset, inputs, output, goal),
                evals == null ? 100 : evals,
                batch == null ? 5 : batch));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
    for (String name : problems) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "targets" -> {
          tasks.add(new Task(function("branin"), 40, 1, new int[] {20, 40}));
          tasks.add(new Task(function("hartmann6"), 100, 1, new int[] {40, 100}));
          tasks.add(new Task(function("ackley"), 100, 1, new int[] {60, 100}));
          tasks.add(new Task(function("levy"), 60, 1, new int[] {60}));
          tasks.add(new Task(function("ackley10"), 100, 1, new int[] {40, 100}));
          tasks.add(new Task(function("hartmann6-noisy"), 100, 1, new int[] {40, 100}));
          tasks.add(task(arylation(), 100, 5));
        }
        case "direct-arylation" ->
            tasks.add(task(arylation(), evals == null ? 100 : evals, batch == null ? 5 : batch));
        default ->
            tasks.add(task(function(name), evals == null ? 40 : evals, batch == null ? 1 : batch));
      }
    }
    if (tasks.isEmpty())
      throw new UserError(
          "say what to run: --problem NAME, --expression ... --bounds ..., --dataset FILE ... or --timing");
    return tasks;
  }

  private Task task(PlannerBenchmarkProblem p, int n, int b) {
    if (n < 1) throw new UserError("--evals must be >= 1");
    if (b < 1) throw new UserError("--batch must be >= 1");
    TreeSet<Integer> checkpoints = new TreeSet<>();
    for (int c : new int[] {10, 20, 40, 60, 100, 200, 500, 1000}) if (c < n) checkpoints.add(c);
    checkpoints.add(n);
    return new Task(p, n, b, checkpoints.stream().mapToInt(Integer::intValue).toArray());
  }

  private PlannerBenchmarkProblem function(String name) {
    return PlannerBenchmarkProblem.function(name)
        .orElseThrow(
            () ->
                new UserError(
                    "--problem: unknown problem '"
                        + name
                        + "'; expected one of "
                        + TestFunctions.names()
                        + " (each also as NAME-noisy), direct-arylation or targets"));
  }

  private Path datasetFile() {
    Path file = SHIPPED_DATASET;
    if (!Files.isReadable(file)) file = Path.of("..").resolve(SHIPPED_DATASET);
    if (!Files.isReadable(file))
      throw new UserError(
          "warm-start: cannot find " + SHIPPED_DATASET + " (run from the project folder)");
    return file;
  }

  private PlannerBenchmarkProblem arylation() {
    Path file = SHIPPED_DATASET;
    if (!Files.isReadable(file)) file = Path.of("..").resolve(SHIPPED_DATASET);
    if (!Files.isReadable(file)) {
      throw new UserError(
          "direct-arylation: cannot find "
              + SHIPPED_DATASET
              + " (run from the project folder, or pass --dataset FILE --inputs ... --output yield)");
    }
    return PlannerBenchmarkProblem.dataset(
        file, List.of("base", "ligand", "solvent", "concentration", "temperature"), "yield", "max");
  }

  private void print(PrintWriter out, Task task, String planner, List<PlannerBenchmark.Run> runs) {
    double[] seconds = runs.stream().flatMapToDouble(r -> Arrays.stream(r.seconds())).toArray();
    double perSuggestion = PlannerBenchmark.Spread.of(seconds).median();
    for (int c : task.checkpoints()) {
      double[] regrets =
          runs.stream()
              .filter(r -> r.regret().length >= c)
              .mapToDouble(r -> r.regret()[c - 1])
              .toArray();
      PlannerBenchmark.Spread s = PlannerBenchmark.Spread.of(regrets);
      out.printf(
          Locale.ROOT,
          "%-18s %-9s %6d %5d %14.4g   [%9.4g, %9.4g] %12.3f%n",
          task.problem().name(),
          planner,
          c,
          task.batch(),
          s.median(),
          s.q1(),
          s.q3(),
          perSuggestion);
    }
    if (task.problem().isDataset()) {
      double[] top = runs.stream().mapToDouble(PlannerBenchmark.Run::toTopOnePercent).toArray();
      PlannerBenchmark.Spread s = PlannerBenchmark.Spread.of(top);
      out.printf(
          Locale.ROOT,
          "%-18s %-9s experiments to a top-1 %% result (>= %.4g): median %.1f, IQR [%.1f, %.1f]%s%n",
          task.problem().name(),
          planner,
          task.problem().topOnePercent(),
          s.median(),
          s.q1(),
          s.q3(),
          Arrays.stream(top).anyMatch(t -> t > task.evals())
              ? " (runs that never got there count as " + (task.evals() + 1) + ")"
              : "");
    }
  }

  /**
   * Warm start on direct arylation: each solvent in turn (or {@code --solvent}) is the new task,
   * the others the prior data; experiments to a top-1 % yield, cold and warm.
   */
  private void warmStart(PrintWriter out) {
    Path file = datasetFile();
    List<String> solvents = solvent != null ? List.of(solvent) : WarmStartBenchmark.solvents(file);
    int n = evals == null ? 50 : evals;
    int b = batch == null ? 5 : batch;
    for (String s : solvents) {
      WarmStartBenchmark bench = WarmStartBenchmark.arylation(file, s);
      for (WarmStartBenchmark.Prior prior : WarmStartBenchmark.Prior.values()) {
        double[] to = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
          to[seed] = bench.run(prior, seed, n, b);
          spec.commandLine()
              .getErr()
              .printf(
                  Locale.ROOT, "  warm-start %s %s seed %d: %d%n", s, prior, seed, (int) to[seed]);
          spec.commandLine().getErr().flush();
        }
        PlannerBenchmark.Spread spread = PlannerBenchmark.Spread.of(to);
        out.printf(
            Locale.ROOT,
            "warm-start %-14s prior %-5s experiments to a top-1 %% yield (>= %.4g), batch %d: median %.1f, IQR [%.1f, %.1f]%s%n",
            s,
            prior.name().toLowerCase(Locale.ROOT),
            bench.threshold(),
            b,
            spread.median(),
            spread.q1(),
            spread.q3(),
            java.util.Arrays.stream(to).anyMatch(t -> t > n)
                ? " (never within " + n + " counts as " + (n + 1) + ")"
                : "");
        out.flush();
      }
    }
  }

  private int timing(PrintWriter out) {
    if (repeats < 1) throw new UserError("--repeats must be >= 1");
    out.printf(
        Locale.ROOT,
        "%-4s %6s %6s %14s %14s  %s%n",
        "d",
        "N",
        "batch",
        "median wall s",
        "median CPU s",
        "all runs, wall (s)");
    for (PlannerBenchmarkTiming.Case c : PlannerBenchmarkTiming.standard(repeats)) {
      double[] s = c.seconds();
      out.printf(
          Locale.ROOT,
          "%-4d %6d %6d %14.3f %14.3f  %s%n",
          c.dimension(),
          c.observations(),
          c.batch(),
          PlannerBenchmark.Spread.of(s).median(),
          PlannerBenchmark.Spread.of(c.cpuSeconds()).median(),
          Arrays.toString(Arrays.stream(s).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
      out.flush();
    }
    return ExitCodes.OK;
  }

  private void writeJson(List<PlannerBenchmark.Run> runs) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (PlannerBenchmark.Run r : runs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("problem", r.problem());
      m.put("planner", r.planner());
      m.put("seed", r.seed());
      m.put("regret", r.regret());
      m.put("seconds", r.seconds());
      list.add(m);
    }
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(json.toFile(), Map.of("runs", list));
    } catch (IOException e) {
      throw new UserError(
          "--json: cannot write " + json + ": " + e.getMessage(), ExitCodes.FAILURE);
    }
  }
}
