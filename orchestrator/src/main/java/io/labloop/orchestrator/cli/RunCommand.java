package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.store.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labloop run CAMPAIGN}: one campaign in the foreground; the same command again resumes it.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a campaign in the foreground with a live progress line and a summary table at the end.",
      "Running the same command again on the same data folder resumes the campaign where it stopped (after Ctrl-C, "
          + "a crash or a power cut); --restart starts it anew under a new run id, keeping the old data.",
      "Ctrl-C lets the commands in flight answer (up to 10 s), records them and stops without ending the run."
    },
    footer = {
      "",
      "Exit codes: "
          + ExitCodes.OK
          + " the run completed, "
          + ExitCodes.FAILURE
          + " it failed or was aborted (the message says why), "
          + ExitCodes.BAD_INPUT
          + " bad input, "
          + ExitCodes.INTERRUPTED
          + " stopped by Ctrl-C (143 by SIGTERM; the same command resumes it)."
    })
public final class RunCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "The campaign file (campaign.yaml).")
  Path campaignFile;

  @Option(
      names = "--lab",
      paramLabel = "LAB",
      description = "Use this lab file instead of the campaign's lab:.")
  Path lab;

  @Option(
      names = "--sim",
      description = "Start the lab's virtual instruments in this process (its simulation: block).")
  boolean sim;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Planner seed of a new run (default: the campaign's planner.seed).")
  Long seed;

  @Option(
      names = "--restart",
      description = "Start a new run even if the last one is unfinished (the old run is kept).")
  boolean restart;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(campaignFile))
      throw new UserError("campaign file " + campaignFile + " not found");
    if (lab != null && !Files.isRegularFile(lab))
      throw new UserError("lab file " + lab + " not found");
    CampaignConfig campaign;
    try {
      campaign = ConfigLoader.standard().loadCampaign(campaignFile, Optional.ofNullable(lab));
    } catch (ConfigException e) {
      throw new UserError(e.getMessage());
    }
    if (campaign.approval() == CampaignConfig.Approval.MANUAL) {
      throw new UserError(
          campaignFile
              + ": approval: manual needs a person to approve each suggestion; run it in the daemon"
              + " (labloop daemon, then labloop submit and labloop approve), or set approval: auto");
    }
    CampaignSession.Options options =
        new CampaignSession.Options(
            campaign,
            data.location(),
            sim,
            Map.of(),
            false,
            Optional.ofNullable(seed),
            restart,
            Duration.ofSeconds(30));
    RunSummary summary = new CampaignSession(System.out, System.err).run(options);
    return summary.status() == RunStatus.COMPLETED ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
