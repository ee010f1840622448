package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.CampaignProblem;
import io.labloop.orchestrator.campaign.EngineListener;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunLock;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting one campaign's engine in the daemon: the run lock on the data folder first (a {@code
 * labloop run} of the same campaign on the same folder keeps it), then an engine on the lab in
 * force and the shared store, with a timed planner (its time goes to the metrics), and a listener
 * that relays the engine's news to the API's event stream, the log and the metrics. The started
 * engine is added to {@link RunningCampaigns}; if anything fails before that, the lock is let go.
 *
 * <p>Not thread-safe on its own: {@link EngineCampaignService} serialises starts (two submissions
 * of one campaign must not both start it).
 */
final class EngineStarts {
  // the service's logger: these lines read as the daemon's, as before the start had its own class
  private static final Logger log = LoggerFactory.getLogger(EngineCampaignService.class);

  private final Store store;
  private final Supplier<Lab> lab;
  private final Path dataDir;
  private final LabMetrics metrics;
  private final RunningCampaigns running;
  private final EventFeed feed;
  private final CampaignMetrics campaignMetrics;

  EngineStarts(
      Store store,
      Supplier<Lab> lab,
      Path dataDir,
      LabMetrics metrics,
      RunningCampaigns running,
      EventFeed feed,
      CampaignMetrics campaignMetrics) {
    this.store = store;
    this.lab = lab;
    this.dataDir = dataDir;
    this.metrics = metrics;
    this.running = running;
    this.feed = feed;
    this.campaignMetrics = campaignMetrics;
  }

  /** Starts (or resumes, when its latest run is still RUNNING) the campaign's engine. */
  CampaignEngine start(CampaignConfig c) {
    RunLock runLock =
        RunLock.tryAcquire(dataDir, c.name())
            .orElseThrow(
                () ->
                    ApiProblem.conflict(
                        "campaign "
                            + c.name()
                            + " is running in another process on this data folder (a 'labloop run'?); stop it there, then submit it here to continue"));
    try {
      PlannerSpec spec = c.planner();
      CampaignEngine engine =
          CampaignEngine.builder()
              .campaign(c)
              .lab(lab.get())
              .store(store)
              .planner(
                  seed ->
                      new TimedPlanner(
                          Planners.create(new PlannerSpec(spec.type(), seed, spec.options())),
                          metrics))
              .build();
      engine.addListener(new Relay());
      CompletableFuture<RunSummary> done;
      try {
        done = engine.start();
      } catch (CampaignProblem e) {
        throw ApiProblem.conflict(c.name() + ": " + e.getMessage());
      }
      String runId = engine.runId();
      running.add(new Running(runId, engine, c, done, store.run(runId).orElse(null), runLock));
      log.info("campaign {} running (run {})", c.name(), runId);
      return engine;
    } catch (RuntimeException e) {
      runLock.close();
      throw e;
    }
  }

  /** Relays an engine's news to the API's subscribers, the log and the metrics. */
  private final class Relay implements EngineListener {
    @Override
    public void onEvent(EventRecord event) {
      feed.publish(ApiViews.event(event));
    }

    @Override
    public void onExperiment(ExperimentRecord x) {
      log.info(
          "campaign {} experiment #{} {}{}",
          x.runId(),
          x.seq(),
          x.status(),
          x.cause().map(c -> ": " + c).orElse(""));
      campaignMetrics.experimentChanged(x);
      feed.publish(
          ApiViews.live(
              x.runId(),
              EventKind.EXPERIMENT,
              Severity.INFO,
              null,
              null,
              x.seq(),
              "experiment #" + x.seq() + " " + x.status().name().toLowerCase(Locale.ROOT)));
    }
  }
}
