package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reload of the lab file must check against the campaigns running now: whether each still
 * fits the lab file as it is on disk. Read by {@link Daemon}'s reload before it swaps the lab (a
 * campaign that would no longer load keeps the old lab in force).
 */
final class ReloadChecks {
  private final ConfigLoader loader;
  private final Path labFile;
  private final Path campaignDir;
  private final RunningCampaigns running;

  ReloadChecks(ConfigLoader loader, Path labFile, Path campaignDir, RunningCampaigns running) {
    this.loader = loader;
    this.labFile = labFile;
    this.campaignDir = campaignDir;
    this.running = running;
  }

  /**
   * Every way a running campaign would not fit the lab file as it is now on disk (a command or
   * instrument gone, a limit narrower than the campaign's space), as the loader's file:line:column
   * messages of the campaign file. Empty: the reload may go ahead.
   */
  List<String> problemsWithLabFile() {
    List<String> problems = new ArrayList<>();
    for (Running r : running.all()) {
      CampaignConfig c = r.config();
      try {
        loader.loadCampaign(c.file().toString(), c.text(), campaignDir, Optional.of(labFile));
      } catch (ConfigException e) {
        e.problems().stream()
            .sorted()
            .map(p -> "running campaign " + c.name() + ": " + p)
            .forEach(problems::add);
      }
    }
    return problems;
  }

  /** Campaigns running now: the lab may be swapped at once only when there are none. */
  int runningCount() {
    return running.count();
  }
}
