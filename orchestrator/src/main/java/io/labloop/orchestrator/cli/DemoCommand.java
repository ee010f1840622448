package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.BuiltInFiles;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.store.CampaignExport;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code labloop demo}: the README's first command. Runs the silver-nanoparticles campaign on the
 * virtual lab (started in this process, on free ports) with a short budget and a fast time scale,
 * then says what it found and where the data is. Needs nothing but the jar: the lab and campaign
 * files are built in and written to the data folder, where they can be read and edited.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the silver-nanoparticles campaign on the virtual lab (about a minute) and show the best conditions found."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "labloop-data",
      description = "Data folder (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--budget",
      paramLabel = "N",
      defaultValue = "24",
      description = "Experiments to run (default: ${DEFAULT-VALUE}).")
  int budget;

  @Option(
      names = "--time-scale",
      paramLabel = "X",
      defaultValue = "0.0002",
      description =
          "Simulated time per real time: 0.0002 makes a 30 min synthesis take 0.36 s (default: ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Planner seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    if (budget < 1) throw new UserError("--budget must be at least 1, got " + budget);
    if (!(timeScale >= 0)) throw new UserError("--time-scale must be >= 0, got " + timeScale);
    Path demo = data.resolve("demo");
    Files.createDirectories(demo);
    Map<String, String> values =
        Map.of(
            "DATA",
            data.toAbsolutePath().toString(),
            "TIME_SCALE",
            Double.toString(timeScale),
            "BUDGET",
            Integer.toString(budget),
            "SEED",
            Long.toString(seed));
    BuiltInFiles.write(DemoCommand.class, "demo/demo-lab.yaml", demo, values);
    Path campaignFile =
        BuiltInFiles.write(DemoCommand.class, "demo/silver-nanoparticles-demo.yaml", demo, values);
    CampaignConfig campaign;
    try {
      campaign = ConfigLoader.standard().loadCampaign(campaignFile);
    } catch (ConfigException e) {
      throw new IllegalStateException("the built-in demo files do not load: " + e.getMessage(), e);
    }
    System.out.println(
        "LabLoop demo: "
            + budget
            + " experiments of the silver-nanoparticles campaign on a virtual lab");
    System.out.println(
        "(robot on OPC UA, UV-Vis spectrometer on a serial line; Bayesian planner; files in "
            + demo
            + ")");
    StoreLocation where = StoreLocation.sqlite(data);
    CampaignSession.Options options =
        new CampaignSession.Options(
            campaign, where, true, Map.of(), true, Optional.of(seed), true, Duration.ofSeconds(30));
    RunSummary summary = new CampaignSession(System.out, System.err).run(options);

    Path csv = demo.resolve("silver-nanoparticles-demo.csv");
    try (Store store = Store.open(where);
        Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      CampaignExport.of(store, store.run(summary.runId()).orElseThrow()).csv(w);
    }
    System.out.println();
    summary
        .best()
        .ifPresentOrElse(
            b ->
                System.out.println(
                    "Best conditions found (experiment #"
                        + b.seq()
                        + "): "
                        + CampaignSession.describe(b)
                        + "   [target: peak 520 +/- 5 nm, then the narrowest fwhm]"),
            () ->
                System.out.println("No experiment completed; see the table above for the causes."));
    System.out.println(
        "The data: "
            + data.resolve("labloop.db")
            + " (run "
            + summary.runId()
            + "), a CSV at "
            + csv);
    System.out.println(
        "Next: labloop export silver-nanoparticles-demo --data "
            + data
            + " --format jsonl   (everything, provenance included)");
    System.out.println(
        "      labloop run "
            + campaignFile
            + " --sim --data "
            + data
            + "   (the same campaign, yours to edit)");
    return summary.status() == RunStatus.COMPLETED ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
