package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.CampaignView;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop abort CAMPAIGN | --all}: stop now and send each instrument its abort command. */
@Command(
    name = "abort",
    description = {
      "Abort a campaign on the running daemon (--all: emergency stop).",
      "It stops, and each instrument in use gets its configured abort command."
    })
public final class AbortCommand implements Callable<Integer> {
  static final class Target {
    @Parameters(
        paramLabel = "CAMPAIGN",
        description = "A campaign's id or name (the newest run of that name).")
    String campaign;

    @Option(names = "--all", description = "Emergency stop: abort every running campaign.")
    boolean all;
  }

  @ArgGroup(multiplicity = "1")
  Target target;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    if (target.all) {
      daemon.call(
          err,
          d -> {
            d.emergencyStop();
            return null;
          });
      spec.commandLine().getOut().println("emergency stop: every running campaign aborted");
      return ExitCodes.OK;
    }
    CampaignView c = daemon.call(err, d -> d.abort(d.find(target.campaign).id()));
    spec.commandLine()
        .getOut()
        .println(c.name() + " (" + c.id() + "): " + c.status().toLowerCase());
    return ExitCodes.OK;
  }
}
