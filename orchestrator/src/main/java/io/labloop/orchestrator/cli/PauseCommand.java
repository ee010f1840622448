package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop pause CAMPAIGN} on the running daemon. */
@Command(
    name = "pause",
    description = {
      "Pause a campaign on the running daemon.",
      "Running steps finish; no new ones start."
    })
public final class PauseCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CAMPAIGN",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return daemon.changeCampaign(spec, campaign, (d, id) -> d.pause(id));
  }
}
