package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "run", description = "(not yet available)")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop run: not available yet");
    return ExitCodes.FAILURE;
  }
}
