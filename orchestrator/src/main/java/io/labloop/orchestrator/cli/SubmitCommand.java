package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.CampaignView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop submit CAMPAIGN.yaml}: hands a campaign file to the running daemon. */
@Command(
    name = "submit",
    description = {
      "Submit a campaign file to the running daemon.",
      "It is checked as 'labloop validate' would; problems are printed as FILE:LINE:COLUMN."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Parameters(paramLabel = "CAMPAIGN", description = "The campaign file (YAML).")
  Path file;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError("no file " + file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    CampaignView c =
        daemon.call(
            spec.commandLine().getErr(), d -> d.submit(file.getFileName().toString(), yaml));
    var out = spec.commandLine().getOut();
    out.println(
        "submitted "
            + c.name()
            + " as "
            + c.id()
            + " ("
            + c.status().toLowerCase()
            + (c.schedule() != null ? ", starts on schedule " + c.schedule() : "")
            + ("MANUAL".equals(c.approval()) ? ", each suggestion waits for 'labloop approve'" : "")
            + ")");
    out.println("watch it with: labloop status " + c.id());
    return ExitCodes.OK;
  }
}
