package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.Store;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the running campaigns add to {@link LabMetrics}: experiments per state and queue lengths
 * (read when the metrics are scraped), and, when an experiment ends, its steps' durations and
 * instrument errors.
 *
 * <p>The steps of an ended experiment are read from the journal on a thread of this class ({@code
 * labloop-daemon-events}), not on the engine thread that reported the end: the engine must not wait
 * for the store on the metrics' behalf.
 */
final class CampaignMetrics {
  private static final Logger log = LoggerFactory.getLogger(CampaignMetrics.class);

  private final Store store;
  private final Supplier<Lab> lab;
  private final LabMetrics metrics;
  private final RunningCampaigns running;
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "labloop-daemon-events");
            t.setDaemon(true);
            return t;
          });

  CampaignMetrics(Store store, Supplier<Lab> lab, LabMetrics metrics, RunningCampaigns running) {
    this.store = store;
    this.lab = lab;
    this.metrics = metrics;
    this.running = running;
    metrics.experimentsFrom(this::experimentCounts);
    metrics.queuesFrom(this::queueLengths);
  }

  /** An experiment changed state; once it ended, its steps are counted (in the background). */
  void experimentChanged(ExperimentRecord x) {
    metrics.experimentChanged(x.status().name());
    if (x.status().finished()) background.execute(() -> stepMetrics(x.runId(), x.seq()));
  }

  /** Step durations and instrument errors of a finished experiment, read from the journal. */
  private void stepMetrics(String runId, int seq) {
    try {
      for (StepRecord s : store.steps(runId)) {
        if (s.seq() != seq || s.startedAt().isEmpty() || s.endedAt().isEmpty()) continue;
        metrics.stepFinished(
            s.instrument(),
            s.command(),
            Duration.between(s.startedAt().get(), s.endedAt().get()),
            s.status().name().toLowerCase(Locale.ROOT));
        s.errorKind().ifPresent(kind -> metrics.instrumentError(s.instrument(), kind));
      }
    } catch (RuntimeException e) {
      log.debug("step metrics of {} #{}: {}", runId, seq, e.toString());
    }
  }

  private Map<String, Map<String, Integer>> experimentCounts() {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    for (Running r : running.all()) {
      Map<String, Integer> byState = new LinkedHashMap<>();
      for (ExperimentRecord e : store.experiments(r.runId()))
        byState.merge(e.status().name(), 1, Integer::sum);
      out.put(ApiViews.id(r.runId()), byState);
    }
    return out;
  }

  /**
   * Experiments in flight whose next instrument is busy, counted per the workflow's first
   * instrument.
   */
  Map<String, Integer> queueLengths() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Running r : running.all()) {
      Progress p = r.engine().progress();
      if (p == null || r.config().workflow().isEmpty()) continue;
      String first = r.config().workflow().get(0).instrument();
      int waiting = Math.max(0, p.inFlight() - lab.get().busy(first));
      out.merge(first, waiting, Integer::sum);
    }
    return out;
  }

  /** Stops the background thread (daemon shutdown). */
  void stop() {
    background.shutdown();
  }
}
