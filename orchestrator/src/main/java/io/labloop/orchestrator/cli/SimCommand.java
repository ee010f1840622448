package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "sim", description = "(not yet available)")
public final class SimCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop sim: not available yet");
    return ExitCodes.FAILURE;
  }
}
