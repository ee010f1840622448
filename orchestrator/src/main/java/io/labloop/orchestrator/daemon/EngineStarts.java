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
import io.labloop.orchestrator.store.RunClaim;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting one campaign's engine in the daemon: the campaign's claim first ({@link RunOwnership}:
 * the data folder's lock on SQLite, so a {@code labloop run} of the same campaign keeps it; an
 * advisory lock on PostgreSQL, so a run has one driver across every PC), then an engine on the lab
 * in force and the shared store, with a timed planner (its time goes to the metrics), and a
 * listener that relays the engine's news to the API's event stream, the log and the metrics. The
 * started engine is added to {@link RunningCampaigns} and this daemon's name is recorded as the
 * run's driver; if anything fails before that, the claim is let go.
 *
 * <p>Not thread-safe on its own: {@link EngineCampaignService} serialises starts (two submissions
 * of one campaign must not both start it).
 */
final class EngineStarts {
  // the service's logger: these lines read as the daemon's, as before the start had its own class
  private static final Logger log = LoggerFactory.getLogger(EngineCampaignService.class);

  private final Store store;
  private final Supplier<Lab> lab;
  private final RunOwnership ownership;
  private final String daemonName;
  private final LabMetrics metrics;
  private final RunningCampaigns running;
  private final EventFeed feed;
  private final CampaignMetrics campaignMetrics;

  EngineStarts(
      Store store,
      Supplier<Lab> lab,
      RunOwnership ownership,
      String daemonName,
      LabMetrics metrics,
      RunningCampaigns running,
      EventFeed feed,
      CampaignMetrics campaignMetrics) {
    this.store = store;
    this.lab = lab;
    this.ownership = ownership;
    this.daemonName = daemonName;
    this.metrics = metrics;
    this.running = running;
    this.feed = feed;
    this.campaignMetrics = campaignMetrics;
  }

  /** Starts (or resumes, when its latest run is still RUNNING) the campaign's engine. */
  CampaignEngine start(CampaignConfig c) {
    RunClaim claim =
        ownership
            .tryClaim(c.name())
            .orElseThrow(
                () ->
                    ApiProblem.conflict(
                        "campaign "
                            + c.name()
                            + (ownership.shared()
                                ? " is driven by another daemon or 'labloop run' on this database ('labloop status' names it); it continues here only if that one stops"
                                : " is running in another process on this data folder (a 'labloop run'?); stop it there, then submit it here to continue")));
    return start(c, claim);
  }

  /** Starts the campaign's engine with a claim already taken (a takeover); closes it on failure. */
  CampaignEngine start(CampaignConfig c, RunClaim runLock) {
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
      store.recordDriver(runId, daemonName);
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
