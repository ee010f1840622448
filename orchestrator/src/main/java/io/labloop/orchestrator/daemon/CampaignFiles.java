package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.ConfigProblem;
import io.labloop.orchestrator.daemon.Submissions.Submission;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reading campaign files the daemon's way: with the same {@link ConfigLoader} as {@code labloop
 * validate}, always against the daemon's lab file (whatever the campaign's {@code lab:} says), with
 * relative paths resolved in the daemon's campaign folder. One home for the three moments a
 * campaign text is read: when it is submitted (problems become a 400 with every file:line:column
 * line), when a kept submission is started or resumed, and when an ended run's stored text is read
 * back.
 */
final class CampaignFiles {
  private final ConfigLoader loader;
  private final Path labFile;
  private final Path campaignDir;
  private final Submissions submissions;
  private final Store store;

  CampaignFiles(
      ConfigLoader loader, Path labFile, Path campaignDir, Submissions submissions, Store store) {
    this.loader = loader;
    this.labFile = labFile;
    this.campaignDir = campaignDir;
    this.submissions = submissions;
    this.store = store;
  }

  /** A file sent to the API; its problems are the API's answer (400, one line each). */
  CampaignConfig submitted(String fileName, String yaml) {
    try {
      return loader.loadCampaign(fileName, yaml, campaignDir, Optional.of(labFile));
    } catch (ConfigException e) {
      List<String> lines = e.problems().stream().sorted().map(ConfigProblem::toString).toList();
      throw ApiProblem.invalid(
          fileName + " has " + lines.size() + (lines.size() == 1 ? " problem" : " problems"),
          lines);
    }
  }

  /** A submission kept in the submissions folder, to start or resume it. */
  CampaignConfig kept(Submission s) {
    try {
      return loader.loadCampaign(
          s.fileName(), submissions.text(s), campaignDir, Optional.of(labFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the submitted campaign " + s.name(), e);
    } catch (ConfigException e) {
      throw new IllegalStateException(
          s.fileName()
              + " no longer fits the lab: "
              + e.problems().stream().map(ConfigProblem::toString).toList(),
          e);
    }
  }

  /**
   * The campaign a run this daemon does not run was started with, from the text stored with the
   * run; what it is read for is named in the conflict a failure gives.
   */
  CampaignConfig ofRun(RunRecord r, String readFor) {
    String text =
        store
            .campaignText(r.campaignSha256())
            .orElseThrow(
                () ->
                    ApiProblem.conflict(
                        "the campaign text of run "
                            + ApiViews.id(r.id())
                            + " is not in the store"));
    try {
      return loader.loadCampaign(r.campaign() + ".yaml", text, campaignDir, Optional.of(labFile));
    } catch (ConfigException e) {
      throw ApiProblem.conflict(
          "the campaign of run "
              + ApiViews.id(r.id())
              + " no longer loads against the lab file, so its"
              + " "
              + readFor
              + " cannot be checked: "
              + e.problems().stream().map(ConfigProblem::toString).findFirst().orElse(""));
    }
  }
}
