package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "validate", description = "(not yet available)")
public final class ValidateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop validate: not available yet");
    return ExitCodes.FAILURE;
  }
}
