package io.labloop.orchestrator.cli;

import io.labloop.common.Folders;
import io.labloop.orchestrator.bench.agents.AgentBenchmark;
import io.labloop.orchestrator.bench.agents.AgentBenchmarkSite;
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
 * {@code labloop bench agents}: a command's round trip through an instrument agent beside the same
 * command driven locally, and a simulated site of many agents running several campaigns at once.
 */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "(1) round trip of a measure on a virtual serial spectrometer (zero duration): local driver beside the same",
      "command through an agent on the embedded MQTT 5 broker (same JVM), alternating rounds, median/p99;",
      "(2) a site of agents x instruments (timed, no protocol) running several campaigns at once on one daemon side:",
      "experiments per second, makespan / lower bound, CPU time and heap of the (single) process."
    })
public final class BenchAgentsCommand implements Callable<Integer> {

  @Option(
      names = "--rounds",
      defaultValue = "10",
      description = "(1) alternating rounds (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--per-round",
      defaultValue = "50",
      description = "(1) timed calls per round and side (default: ${DEFAULT-VALUE}).")
  int perRound;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "(1) untimed calls before each round and side (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--agents",
      defaultValue = "10",
      description = "(2) agents (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(
      names = "--instruments-per-agent",
      defaultValue = "5",
      description = "(2) instruments per agent (default: ${DEFAULT-VALUE}).")
  int perAgent;

  @Option(
      names = "--campaigns",
      defaultValue = "5",
      description = "(2) campaigns at once, each on an equal share (default: ${DEFAULT-VALUE}).")
  int campaigns;

  @Option(
      names = "--experiments",
      defaultValue = "40",
      description = "(2) experiments per campaign (default: ${DEFAULT-VALUE}).")
  int experiments;

  @Option(
      names = "--step",
      defaultValue = "200ms",
      converter = BenchLoopCommand.DurationConverter.class,
      description =
          "(2) duration of every command (default: ${DEFAULT-VALUE}: 10 simulated minutes at time-scale 1/3000).")
  Duration step;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || perRound < 1 || warmup < 0 || agents < 1 || perAgent < 1 || experiments < 1)
      throw new UserError("counts must be at least 1 (warm-up at least 0)");
    if (campaigns < 1 || (agents * perAgent) % campaigns != 0)
      throw new UserError(
          agents * perAgent
              + " instruments cannot be shared equally by "
              + campaigns
              + " campaigns");
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("labloop-bench-agents-");
    try {
      out.printf(
          Locale.ROOT,
          "(1) round trip of measure, virtual serial spectrometer, zero duration: %d rounds x %d calls each side, %d warm-up%n",
          rounds,
          perRound,
          warmup);
      out.flush();
      AgentBenchmark.RoundTrip rt =
          new AgentBenchmark(ConfigLoader.standard())
              .roundTrip(rounds, perRound, warmup, work.resolve("round-trip"));
      out.println();
      out.println("| path | calls | median | p99 |");
      out.println("|---|---:|---:|---:|");
      row(out, "local serial driver", rt.local());
      row(out, "through agent (MQTT 5, loopback)", rt.agent());
      out.printf(
          Locale.ROOT,
          "| ratio agent / local | | %.2f | %.2f |%n",
          rt.medianRatio(),
          rt.p99Ratio());
      out.println();
      int stages = agents * perAgent / campaigns;
      out.printf(
          Locale.ROOT,
          "(2) site: %d agents x %d timed instruments, %d campaigns at once, %d experiments each, %d steps of %d ms%n",
          agents,
          perAgent,
          campaigns,
          experiments,
          stages,
          step.toMillis());
      out.flush();
      AgentBenchmarkSite.Site s =
          new AgentBenchmarkSite()
              .run(agents, perAgent, campaigns, experiments, step, work.resolve("site"));
      out.println();
      out.println("| measure | value |");
      out.println("|---|---:|");
      out.printf(Locale.ROOT, "| experiments done per campaign | %s |%n", s.donePerCampaign());
      out.printf(
          Locale.ROOT, "| experiments per second (site) | %.2f |%n", s.experimentsPerSecond());
      out.printf(Locale.ROOT, "| makespan | %.2f s |%n", s.makespanSeconds());
      out.printf(
          Locale.ROOT,
          "| lower bound ((experiments + steps - 1) x step) | %.2f s |%n",
          s.lowerBoundSeconds());
      out.printf(Locale.ROOT, "| makespan / lower bound | %.3f |%n", s.ratio());
      out.printf(
          Locale.ROOT,
          "| process CPU time during the run | %.1f s (%.2f cores) |%n",
          s.cpuSeconds(),
          s.cores());
      out.printf(Locale.ROOT, "| heap used at the end | %.0f MiB |%n", s.heapUsedMiB());
      out.printf(Locale.ROOT, "| heap peak (sum of pool peaks) | %.0f MiB |%n", s.heapPeakMiB());
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

  private static void row(PrintWriter out, String path, AgentBenchmark.Stats s) {
    out.printf(
        Locale.ROOT,
        "| %s | %d | %.3f ms | %.3f ms |%n",
        path,
        s.samples(),
        s.medianMs(),
        s.p99Ms());
  }
}
