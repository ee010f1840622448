package io.labloop.orchestrator.cli;

import io.labloop.common.Folders;
import io.labloop.orchestrator.bench.loop.LoopBenchmark;
import io.labloop.orchestrator.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench loop}: the orchestrator's throughput and own cost per step, and its makespan
 * against the lower bound.
 */
@Command(
    name = "loop",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "(a) N two-step experiments on the virtual lab with zero durations and the random planner: experiments per",
      "second, and the orchestrator's own time per step beside the drivers' bare round trip;",
      "(b) makespan of 40 experiments on 2 synthesizers and 1 shared measurer (the bottleneck) against its lower bound."
    })
public final class BenchLoopCommand implements Callable<Integer> {

  @Option(
      names = "--experiments",
      defaultValue = "1000",
      description = "(a) experiments, pipelined (default: ${DEFAULT-VALUE}).")
  int experiments;

  @Option(
      names = "--sequential",
      defaultValue = "200",
      description =
          "(a) experiments run one at a time for the per-step cost (default: ${DEFAULT-VALUE}).")
  int sequential;

  @Option(
      names = "--makespan-experiments",
      defaultValue = "40",
      description = "(b) experiments (default: ${DEFAULT-VALUE}).")
  int makespanExperiments;

  @Option(
      names = "--synthesis",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "(b) duration of one synthesis (default: ${DEFAULT-VALUE}).")
  Duration synthesis;

  @Option(
      names = "--measurement",
      defaultValue = "1200ms",
      converter = DurationConverter.class,
      description = "(b) duration of one measurement (default: ${DEFAULT-VALUE}).")
  Duration measurement;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (experiments < 1 || sequential < 1 || makespanExperiments < 1)
      throw new UserError("experiment counts must be at least 1");
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("labloop-bench-loop-");
    try {
      LoopBenchmark bench = new LoopBenchmark(ConfigLoader.standard());
      out.printf(
          Locale.ROOT,
          "(a) %d experiments x 2 steps (robot OPC UA, spectrometer serial), virtual lab, zero durations, random planner%n",
          experiments);
      out.flush();
      LoopBenchmark.Throughput a = bench.throughput(experiments, sequential, work.resolve("a"));
      out.println();
      out.println("| measure | value |");
      out.println("|---|---:|");
      out.printf(
          Locale.ROOT,
          "| experiments per second (pipelined, %d experiments) | %.1f |%n",
          a.experiments(),
          a.experimentsPerSecond());
      out.printf(Locale.ROOT, "| wall time (pipelined) | %.1f s |%n", a.pipelinedSeconds());
      out.printf(
          Locale.ROOT,
          "| time per experiment, one at a time (%d experiments) | %.2f ms |%n",
          a.sequentialExperiments(),
          a.sequentialMsPerExperiment());
      out.printf(
          Locale.ROOT,
          "| bare driver round trip: synthesize (OPC UA) | %.2f ms |%n",
          a.bareSynthesizeMs());
      out.printf(
          Locale.ROOT,
          "| bare driver round trip: measure (serial) | %.2f ms |%n",
          a.bareMeasureMs());
      out.printf(
          Locale.ROOT,
          "| orchestrator's own time per step | %.2f ms |%n",
          a.orchestratorMsPerStep());
      out.printf(
          Locale.ROOT,
          "| journaled step, STARTED to DONE (ms clock) | %.2f ms |%n",
          a.journaledStepMs());
      out.println();
      out.printf(
          Locale.ROOT,
          "(b) %d experiments, 2 synthesizers (%d ms) and 1 measurer (%d ms), in-process timed instruments%n",
          makespanExperiments,
          synthesis.toMillis(),
          measurement.toMillis());
      out.flush();
      LoopBenchmark.Makespan b =
          bench.makespan(makespanExperiments, synthesis, measurement, work.resolve("b"));
      out.println();
      out.println("| measure | value |");
      out.println("|---|---:|");
      out.printf(Locale.ROOT, "| makespan | %.2f s |%n", b.makespanSeconds());
      out.printf(
          Locale.ROOT,
          "| lower bound (measurer work / capacity + one synthesis) | %.2f s |%n",
          b.lowerBoundSeconds());
      out.printf(Locale.ROOT, "| makespan / lower bound | %.3f |%n", b.ratio());
      out.printf(
          Locale.ROOT, "| syntheses running at once (max) | %d |%n", b.maxConcurrentSyntheses());
      out.printf(Locale.ROOT, "| experiments done | %d |%n", b.done());
      out.flush();
      return ExitCodes.OK;
    } finally {
      try {
        Folders.deleteTree(work);
      } catch (IOException e) {
        spec.commandLine().getErr().println("could not remove " + work + ": " + e.getMessage());
      }
    }
  }

  /** {@code 500ms}, {@code 2s}, {@code 1m}. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)").matcher(value.trim());
      if (!m.matches())
        throw new picocli.CommandLine.TypeConversionException(
            "expected a duration like 500ms, 2s or 1m, got '" + value + "'");
      double v = Double.parseDouble(m.group(1));
      long nanos =
          (long)
              (v
                  * switch (m.group(2)) {
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    default -> 60e9;
                  });
      return Duration.ofNanos(nanos);
    }
  }
}
