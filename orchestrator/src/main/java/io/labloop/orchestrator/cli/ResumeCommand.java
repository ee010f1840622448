package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop resume CAMPAIGN} on the running daemon. */
@Command(name = "resume", description = "Resume a paused campaign on the running daemon.")
public final class ResumeCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CAMPAIGN",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return daemon.changeCampaign(spec, campaign, (d, id) -> d.resume(id));
  }
}
