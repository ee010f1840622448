package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.console.ConsoleBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench console}: the console on a 10,000-experiment campaign, and open consoles
 * against a running campaign.
 */
@Command(
    name = "console",
    description = {
      "The web console under load, loopback only: time to open a campaign page of",
      "N experiments (cold and warm), and a virtual-lab campaign's throughput with P consoles open on it",
      "divided by without. Results belong in docs/benchmarks.md."
    })
public final class BenchConsoleCommand implements Callable<Integer> {
  @Option(
      names = "--experiments",
      defaultValue = "10000",
      description = "Experiments in the stored campaign (default ${DEFAULT-VALUE}).")
  int experiments;

  @Option(
      names = "--opens",
      defaultValue = "20",
      description = "Warm page opens timed (default ${DEFAULT-VALUE}).")
  int opens;

  @Option(
      names = "--pages",
      defaultValue = "20",
      description = "Consoles open on the running campaign (default ${DEFAULT-VALUE}).")
  int pages;

  @Option(
      names = "--campaign-experiments",
      defaultValue = "20",
      description = "Experiments of the running campaign (default ${DEFAULT-VALUE}).")
  int campaignExperiments;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Work folder (default: a new temporary one). One kept from an earlier run keeps its stored campaign, so a second measurement skips the fill.")
  Path workDir;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (experiments < 10 || opens < 1 || pages < 1 || campaignExperiments < 2) {
      throw new UserError(
          "--experiments must be at least 10, --opens and --pages at least 1, --campaign-experiments at least 2");
    }
    Path work = workDir != null ? workDir : Files.createTempDirectory("labloop-bench-console");
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "bench console: "
            + experiments
            + " stored experiments, "
            + opens
            + " warm opens, "
            + pages
            + " open consoles on a "
            + campaignExperiments
            + "-experiment campaign (virtual lab and daemon in this process, loopback)");
    out.flush();
    ConsoleBenchmark.Result r =
        ConsoleBenchmark.run(
            new ConsoleBenchmark.Settings(
                experiments, opens, pages, campaignExperiments, Duration.ofMinutes(5)),
            work);
    out.printf("stored %d experiments in %.1f s%n", experiments, r.fillSeconds());
    out.printf(
        "open the campaign page: cold %.0f ms (with the chart library), warm p50 %.0f ms, max %.0f ms, %d kB of data%n",
        r.coldMillis(), r.warmP50Millis(), r.warmMaxMillis(), r.bytes() / 1024);
    out.printf(
        "cold open: %.0f ms of CPU in this process (all threads); by request:%n",
        r.coldCpuMillis());
    r.coldByRequest().forEach((p, ms) -> out.printf("  %7.0f ms  %s%n", ms, p));
    out.printf("campaign alone:            %6.2f s%n", r.aloneSeconds());
    out.printf(
        "campaign with %2d consoles: %6.2f s  (%d page refreshes, %d errors)%n",
        pages, r.loadedSeconds(), r.pageRefreshes(), r.errors());
    out.printf("throughput ratio (with / without consoles): %.3f%n", r.ratio());
    out.println("work folder: " + work);
    return r.errors() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
