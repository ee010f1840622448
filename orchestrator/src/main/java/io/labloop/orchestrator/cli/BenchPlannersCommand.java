package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "planners", description = "(not yet available)")
public final class BenchPlannersCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop planners: not available yet");
    return ExitCodes.FAILURE;
  }
}
