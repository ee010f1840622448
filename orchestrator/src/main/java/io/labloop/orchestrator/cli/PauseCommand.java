package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.CampaignView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop pause CAMPAIGN} on the running daemon. */
@Command(name = "pause", description = {"Pause a campaign on the running daemon.", "Running steps finish; no new ones start."})
public final class PauseCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CAMPAIGN", description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    CampaignView c = daemon.call(err, d -> d.pause(d.find(campaign).id()));
    spec.commandLine().getOut().println(c.name() + " (" + c.id() + "): " + c.status().toLowerCase());
    return ExitCodes.OK;
  }
}
