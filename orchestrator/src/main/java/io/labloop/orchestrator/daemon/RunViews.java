package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs as the API shows them, with who drives each: this daemon for the runs it runs (their status
 * then comes from the engine's published progress, so polling readers never queue on the store's
 * connection), otherwise the driver the store recorded last, and whether another daemon holds the
 * run's claim now (a standby daemon on the same PostgreSQL shows the runs its partner drives).
 */
final class RunViews {
  private final Store store;
  private final RunningCampaigns running;
  private final RunOwnership ownership;
  private final String daemonName;

  RunViews(Store store, RunningCampaigns running, RunOwnership ownership, String daemonName) {
    this.store = store;
    this.running = running;
    this.ownership = ownership;
    this.daemonName = daemonName;
  }

  /** Every run in the store, asking the ownership once for all the runs not driven here. */
  List<CampaignView> all() {
    List<RunRecord> runs = store.allRuns();
    Map<String, String> drivers = store.drivers();
    Set<String> drivenNow =
        ownership.drivenNow(
            runs.stream()
                .filter(r -> r.status() == RunStatus.RUNNING && running.get(r.id()).isEmpty())
                .map(RunRecord::campaign)
                .toList());
    List<CampaignView> out = new ArrayList<>();
    for (RunRecord r : runs) {
      out.add(
          of(
              running.get(r.id()).map(Running::started).orElse(r),
              drivers.get(r.id()),
              drivenNow.contains(r.campaign()),
              null));
    }
    return out;
  }

  /**
   * @param stored the run's experiments when the caller has read them already, else null (read here
   *     when the engine has published no progress)
   */
  CampaignView of(RunRecord r, List<ExperimentRecord> stored) {
    if (running.get(r.id()).isPresent()) return of(r, daemonName, false, stored);
    return of(
        r,
        store.drivers().get(r.id()),
        r.status() == RunStatus.RUNNING
            && ownership.drivenNow(List.of(r.campaign())).contains(r.campaign()),
        stored);
  }

  /**
   * @param drivenBy who drives the run (or drove it last)
   * @param drivenElsewhere another process holds the run's claim now
   */
  private CampaignView of(
      RunRecord r, String drivenBy, boolean drivenElsewhere, List<ExperimentRecord> stored) {
    Optional<Progress> progress = running.progress(r.id());
    boolean here = running.get(r.id()).isPresent();
    List<ExperimentRecord> experiments =
        progress.isPresent() ? List.of() : stored != null ? stored : store.experiments(r.id());
    return ApiViews.campaign(
        r,
        running.config(r.id()).orElse(null),
        progress,
        here,
        here ? daemonName : drivenBy,
        drivenElsewhere,
        experiments);
  }
}
