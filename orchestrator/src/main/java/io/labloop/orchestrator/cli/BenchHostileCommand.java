package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.bench.hostile.HostileBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench hostile}: the daemon under every hostile input of issue 14, loopback only.
 */
@Command(
    name = "hostile",
    description = {
      "Starts a labloop daemon --sim process running a campaign, sends every hostile input",
      "(bad names, costly constraints, deep YAML, a FIFO lab file, 50 MB bodies, bad ids, bad tokens) from",
      "N clients in a loop, and measures a normal request's latency meanwhile; then SIGTERM and the time",
      "to stop. Results belong in docs/benchmarks.md."
    })
public final class BenchHostileCommand implements Callable<Integer> {
  @Option(
      names = "--clients",
      defaultValue = "4",
      description =
          "Clients sending hostile input; 0 measures the normal request alone, as a baseline (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "How long they send (default ${DEFAULT-VALUE}).")
  long seconds;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (clients < 0 || seconds < 1)
      throw new UserError(
          "--clients must be 0 or more (0: the normal request alone) and --seconds at least 1");
    Path work = Files.createTempDirectory("labloop-bench-hostile");
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "bench hostile: "
            + clients
            + " clients for "
            + seconds
            + " s against a labloop daemon --sim process (loopback)");
    out.flush();
    HostileBenchmark.Result r = HostileBenchmark.run(clients, Duration.ofSeconds(seconds), work);
    out.println("hostile requests sent, by input:");
    r.sentByInput().forEach((name, n) -> out.printf("  %-48s %7d%n", name, n));
    out.printf(
        "answers other than the expected status: %d%s%n",
        r.unexpected(), r.unexpectedSamples().isEmpty() ? "" : " " + r.unexpectedSamples());
    out.printf(
        "normal request (GET /api/campaigns/ID every 50 ms): %d sent, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        r.probes(), r.p50Millis(), r.p99Millis(), r.maxMillis());
    out.printf(
        "SIGTERM to exit: %.1f s (shutdown-grace %.0f s), exit code %s%n",
        r.stopSeconds(),
        r.graceSeconds(),
        r.exitCode() == Integer.MIN_VALUE
            ? "none (still running; killed)"
            : Integer.toString(r.exitCode()));
    out.println("work folder (daemon.out has the daemon's log): " + work);
    boolean ok = r.unexpected() == 0 && r.maxMillis() < 100 && r.stopSeconds() <= r.graceSeconds();
    return ok ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
