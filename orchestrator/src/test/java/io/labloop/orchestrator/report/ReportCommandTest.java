package io.labloop.orchestrator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.console.SyntheticCampaign;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code labloop report} on a stored two-objective run: one file, nothing outside it, every
 * experiment drawn.
 */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void oneSelfContainedFileWithOnePlotPerObjectiveAndOnePointPerExperiment() throws Exception {
    Path data = dir.resolve("data");
    RunRecord run;
    List<ExperimentRecord> experiments;
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      run = SyntheticCampaign.write(store, "report-check", 60, 9);
      experiments = store.experiments(run.id());
    }
    Path out = dir.resolve("out/report.html");
    int exit =
        new CommandLine(new Main())
            .execute("report", "report-check", "--data", data.toString(), "--out", out.toString());
    assertEquals(0, exit);
    String html = Files.readString(out, StandardCharsets.UTF_8);
    Files.createDirectories(Path.of("target"));
    Files.writeString(
        Path.of("target", "report-example.html"), html, StandardCharsets.UTF_8); // to look at

    assertFalse(html.contains("http://"), "no http:// reference");
    assertFalse(html.contains("https://"), "no https:// reference");
    assertFalse(html.contains("<script"), "no script");
    assertFalse(
        Pattern.compile("(src|href)=\"(?!#)").matcher(html).find(),
        "nothing loaded from elsewhere");

    long done = experiments.stream().filter(x -> x.status() == ExperimentStatus.DONE).count();
    long failed = experiments.stream().filter(x -> x.status() == ExperimentStatus.FAILED).count();
    assertEquals(58, done);
    assertEquals(2, failed);
    List<String> plots = svgs(html, "plot objective");
    assertEquals(2, plots.size(), "one plot per objective (yield, fwhm)");
    assertTrue(
        plots.get(0).contains("data-objective=\"yield\"")
            && plots.get(1).contains("data-objective=\"fwhm\""));
    for (String plot : plots) {
      assertEquals(done, count(plot, "<circle class=\"obs\""), "one point per finished experiment");
      assertEquals(failed, count(plot, "<path class=\"fail\""), "each failed experiment marked");
      assertTrue(plot.contains("timeout after 30 s"), "the failure's cause on hover");
    }
    assertEquals(1, svgs(html, "plot pareto").size(), "a Pareto front for two objectives");
    assertTrue(html.contains(run.campaignSha256()), "the campaign's SHA-256");
    assertTrue(html.contains("planner: { type: bayesian"), "the campaign file");
    assertTrue(html.contains("spectrometer (measure)"), "the instruments used");
  }

  @Test
  void anUnknownCampaignIsAClearErrorNotAStackTrace() throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      SyntheticCampaign.write(store, "known", 3, 1);
    }
    var err = new java.io.StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setErr(new java.io.PrintWriter(err));
    int exit = cmd.execute("report", "unknown", "--data", dir.resolve("data").toString());
    assertEquals(1, exit, "as labloop export: the campaign is not in this store");
    assertTrue(err.toString().contains("campaign unknown has no runs in"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  private static List<String> svgs(String html, String cssClass) {
    Matcher m =
        Pattern.compile("<svg class=\"" + cssClass + "\".*?</svg>", Pattern.DOTALL).matcher(html);
    return m.results().map(r -> r.group()).toList();
  }

  private static long count(String s, String what) {
    return Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
  }
}
