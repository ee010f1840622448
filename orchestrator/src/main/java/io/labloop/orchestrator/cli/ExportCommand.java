package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER until its issue lands. */
@Command(name = "export", description = "(not yet available)")
public final class ExportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("labloop export: not available yet");
    return ExitCodes.FAILURE;
  }
}
