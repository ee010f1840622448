package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.report.CampaignReport;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labloop report CAMPAIGN}: one self-contained HTML file about a run, for a lab notebook or
 * an e-mail.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write one self-contained HTML file about a campaign run: the best conditions and their values, "
          + "plots (inline SVG: each objective by experiment, parameters against objectives, parallel coordinates, "
          + "the Pareto front for two objectives), every experiment with the planner's reasoning, the campaign file and "
          + "provenance (LabLoop version, campaign SHA-256, seeds, instruments, planner settings). No external references."
    })
public final class ReportCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "The campaign file, or the campaign's name.")
  String campaign;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--out",
      paramLabel = "FILE.html",
      description = "Where to write (default: NAME-report.html here).")
  Path out;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "Which run (default: the latest), e.g. silver-nanoparticles/1.")
  String runId;

  @Override
  public Integer call() throws IOException {
    String name = campaignName();
    try (Store store = data.openExisting()) {
      RunRecord run = data.run(store, name, runId);
      String html = CampaignReport.html(store, run, VersionCommand.version(), Instant.now());
      Path target = out != null ? out : Path.of(name + "-report.html");
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(target, html, StandardCharsets.UTF_8);
      System.err.println("wrote " + target + " (run " + run.id() + ")");
    } catch (StoreException e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    return ExitCodes.OK;
  }

  /** A campaign file gives its name; anything else is taken as the name itself. */
  private String campaignName() {
    Path p = Path.of(campaign);
    if (!Files.isRegularFile(p)) return campaign;
    try {
      return ConfigLoader.standard().loadCampaign(p).name();
    } catch (ConfigException e) {
      try {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          if (line.startsWith("campaign:"))
            return line.substring("campaign:".length()).replaceAll("#.*", "").trim();
        }
      } catch (IOException io) {
        throw new UserError("cannot read " + p + ": " + io.getMessage());
      }
      throw new UserError(e.getMessage());
    }
  }
}
