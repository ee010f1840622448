package io.labloop.orchestrator.cli;

import picocli.CommandLine.Command;

/** {@code labloop bench ...}: benchmarks are programs; results go to docs/benchmarks.md. */
@Command(
    name = "bench",
    description = "Measure planners, drivers and the loop; see docs/benchmarks.md.",
    subcommands = {
      BenchPlannersCommand.class,
      BenchDriversCommand.class,
      BenchLoopCommand.class,
      BenchApiCommand.class,
      BenchConsoleCommand.class,
      BenchHostileCommand.class,
      BenchAgentsCommand.class
    })
public final class BenchCommand {}
