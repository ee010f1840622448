package io.labloop.orchestrator.cli;

import io.labloop.common.Folders;
import io.labloop.orchestrator.bench.drivers.DriverBenchmark;
import io.labloop.orchestrator.bench.drivers.DriverBenchmark.Row;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labloop bench drivers}: the round trip of one command through each driver, beside the bare
 * library.
 */
@Command(
    name = "drivers",
    mixinStandardHelpOptions = true,
    description = {
      "Times one command's round trip through each driver (OPC UA, serial, MQTT 5,",
      "SiLA 2, LADS) against the virtual lab with zero-duration operations, beside",
      "the same call made with the bare library."
    })
public final class BenchDriversCommand implements Callable<Integer> {

  @Option(
      names = "--iterations",
      defaultValue = "1000",
      description = "Timed round trips per protocol and client (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(
      names = "--warmup",
      defaultValue = "200",
      description = "Untimed round trips first, for the JIT (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (iterations < 10)
      throw new UserError(
          "--iterations must be at least 10 (a p99 needs samples), got " + iterations);
    if (warmup < 0) throw new UserError("--warmup must not be negative, got " + warmup);
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("labloop-bench-drivers-");
    try {
      out.printf(
          Locale.ROOT,
          "Driver round trip vs bare library: %d timed + %d warm-up calls each, virtual lab, zero-duration operations%n",
          iterations,
          warmup);
      out.flush();
      List<Row> rows = new DriverBenchmark(warmup, iterations).run(work);
      out.println();
      out.println(
          "| protocol | bare library | driver median (µs) | bare median (µs) | median ratio | driver p99 (µs) | bare p99 (µs) | p99 ratio |");
      out.println("|---|---|---:|---:|---:|---:|---:|---:|");
      for (Row r : rows) {
        out.printf(
            Locale.ROOT,
            "| %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f |%n",
            r.protocol(),
            r.library(),
            r.driver().medianMicros(),
            r.bare().medianMicros(),
            r.medianRatio(),
            r.driver().p99Micros(),
            r.bare().p99Micros(),
            r.p99Ratio());
      }
      out.flush();
      return ExitCodes.OK;
    } finally {
      Folders.deleteTree(work);
    }
  }
}
