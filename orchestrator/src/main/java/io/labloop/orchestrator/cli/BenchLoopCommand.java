package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "loop", description = "(not yet available)")
public final class BenchLoopCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop loop: not available yet");
    return ExitCodes.FAILURE;
  }
}
