package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.bench.api.ApiBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench api}: status readers against a daemon running a campaign (loopback only).
 */
@Command(
    name = "api",
    description = {
      "Load check of the daemon's API on the virtual lab, loopback only:",
      "N readers poll a campaign's status while it runs; latency percentiles and the campaign's",
      "throughput with readers / without. Results belong in docs/benchmarks.md."
    })
public final class BenchApiCommand implements Callable<Integer> {
  @Option(
      names = "--readers",
      defaultValue = "50",
      description = "Concurrent readers (default ${DEFAULT-VALUE}).")
  int readers;

  @Option(
      names = "--experiments",
      defaultValue = "20",
      description = "Experiments per campaign (default ${DEFAULT-VALUE}).")
  int experiments;

  @Option(
      names = "--interval-ms",
      defaultValue = "100",
      description =
          "Each reader's pause between polls, ms; 0 = as fast as it can (default ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(
      names = "--max-seconds",
      defaultValue = "300",
      description = "Upper bound on each phase (default ${DEFAULT-VALUE}).")
  long maxSeconds;

  @Option(
      names = "--max-requests",
      defaultValue = "20000",
      description = "Upper bound on requests per reader (default ${DEFAULT-VALUE}).")
  int maxRequests;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ApiBenchmark.Settings s;
    try {
      s =
          new ApiBenchmark.Settings(
              readers,
              experiments,
              Duration.ofMillis(intervalMs),
              Duration.ofSeconds(maxSeconds),
              maxRequests);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Path work = Files.createTempDirectory("labloop-bench-api");
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "bench api: "
            + readers
            + " readers, "
            + experiments
            + " experiments per campaign, poll every "
            + intervalMs
            + " ms (virtual lab and daemon in this process, loopback)");
    out.flush();
    ApiBenchmark.Result r = ApiBenchmark.run(s, work);
    out.printf(
        "campaign alone:        %6.2f s  (%.3f experiments/s)%n",
        r.aloneSeconds(), r.aloneThroughput());
    out.printf(
        "campaign with readers: %6.2f s  (%.3f experiments/s)%n",
        r.loadedSeconds(), r.loadedThroughput());
    out.printf("throughput ratio (with / without readers): %.3f%n", r.ratio());
    out.printf(
        "status requests: %d (%.0f/s), errors %d%n",
        r.requests(), r.requestsPerSecond(), r.errors());
    out.printf(
        "latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        r.p50Millis(), r.p99Millis(), r.maxMillis());
    out.println("work folder: " + work);
    return r.errors() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
