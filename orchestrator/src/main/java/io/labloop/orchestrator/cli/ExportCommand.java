package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.store.CampaignExport;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code labloop export CAMPAIGN --format csv|jsonl|ro-crate}: a run's data for pandas,
 * spreadsheets and archives.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Export a campaign's data: CSV with one row per experiment (units in brackets, ISO-8601 times), "
          + "JSONL with everything, provenance included (campaign text and hash, decisions, every step, events), "
          + "or a Workflow Run RO-Crate (a folder, or a zip when --out ends in .zip) with the campaign and lab files, "
          + "the observations, the raw data and the provenance of every experiment."
    })
public final class ExportCommand implements Callable<Integer> {

  enum Format {
    csv,
    jsonl,
    ro_crate;

    /** {@code ro-crate} on the command line. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Format> {
      @Override
      public Format convert(String text) {
        return Format.valueOf(text.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
      }
    }
  }

  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "The campaign file, or the campaign's name.")
  String campaign;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--format",
      required = true,
      paramLabel = "csv|jsonl|ro-crate",
      converter = Format.Converter.class,
      description = "csv, jsonl or ro-crate.")
  Format format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Write here instead of standard output "
              + "(ro-crate: a new or empty folder, or a FILE.zip).")
  Path out;

  @Option(
      names = "--lab",
      paramLabel = "FILE",
      description =
          "ro-crate: the lab file to include "
              + "(default: the one a campaign FILE names; the store keeps only the campaign text).")
  Path lab;

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
      if (format == Format.ro_crate) return crate(store, run);
      CampaignExport export = CampaignExport.of(store, run);
      if (out == null) {
        Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        write(export, w);
        w.flush();
      } else {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
          write(export, w);
        }
        System.err.println("wrote " + out + " (run " + run.id() + ")");
      }
    } catch (StoreException e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    return ExitCodes.OK;
  }

  /** The hook to {@link io.labloop.orchestrator.crate}: everything about the crate is there. */
  private int crate(Store store, RunRecord run) throws IOException {
    if (out == null) throw new UserError("--format ro-crate needs --out DIR or --out FILE.zip");
    java.util.Optional<String> labText = CrateExportLab.text(campaign, lab);
    new io.labloop.orchestrator.crate.CampaignCrate(
            store, run, labText, VersionCommand.version(), java.time.Instant.now())
        .write(out);
    System.err.println(
        "wrote RO-Crate "
            + out
            + " (run "
            + run.id()
            + (labText.isEmpty() ? ", without the lab file: give --lab FILE" : "")
            + ")");
    return ExitCodes.OK;
  }

  private void write(CampaignExport export, Writer w) throws IOException {
    if (format == Format.csv) export.csv(w);
    else export.jsonl(w);
  }

  /** A campaign file gives its name; anything else is taken as the name itself. */
  private String campaignName() {
    return campaignName(campaign);
  }

  /**
   * The campaign name a CAMPAIGN argument means: the name a campaign file declares, else the
   * argument itself.
   */
  static String campaignName(String campaign) {
    Path p = Path.of(campaign);
    if (!Files.isRegularFile(p)) return campaign;
    try {
      return ConfigLoader.standard().loadCampaign(p).name();
    } catch (ConfigException e) {
      // the file may no longer fit the lab; its name is all we need
      for (String line : readLines(p)) {
        if (line.startsWith("campaign:"))
          return line.substring("campaign:".length()).replaceAll("#.*", "").trim();
      }
      throw new UserError(e.getMessage());
    }
  }

  private static java.util.List<String> readLines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot read " + p + ": " + e.getMessage());
    }
  }
}
