package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "demo", description = "(not yet available)")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop demo: not available yet");
    return ExitCodes.FAILURE;
  }
}
