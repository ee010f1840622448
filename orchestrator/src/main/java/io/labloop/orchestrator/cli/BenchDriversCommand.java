package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "drivers", description = "(not yet available)")
public final class BenchDriversCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop drivers: not available yet");
    return ExitCodes.FAILURE;
  }
}
