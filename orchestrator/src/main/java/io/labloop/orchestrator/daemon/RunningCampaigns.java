package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.EngineStopped;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.store.RunClaim;
import io.labloop.orchestrator.store.RunRecord;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns this daemon runs now, one {@link Running} per run, by store run id; and, for the
 * runs that ended while it ran, their configuration and last counts (so the best result, the budget
 * and the approval mode stay visible, and a held experiment's values can be checked).
 *
 * <p>Thread-safe: the API's threads read it while engines start and end; a run is added when its
 * engine started and removed by its completion (which also closes its data-folder lock).
 */
final class RunningCampaigns {
  private static final Logger log = LoggerFactory.getLogger(RunningCampaigns.class);

  /**
   * One running campaign.
   *
   * @param started the run as it was at start: a status read needs nothing else, so polling readers
   *     never queue on the store's connection, which the engine needs for every transition
   * @param lock the campaign's claim (see {@link RunClaim})
   */
  record Running(
      String runId,
      CampaignEngine engine,
      CampaignConfig config,
      CompletableFuture<RunSummary> completion,
      RunRecord started,
      RunClaim lock) {}

  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private final Map<String, Ended> ended = new ConcurrentHashMap<>();

  /**
   * What is kept of a run that ended while the daemon ran; {@code last} is null if it never
   * published counts.
   */
  private record Ended(CampaignConfig config, Progress last) {}

  /** Adds a run whose engine started; it leaves by itself when the engine's run ends. */
  void add(Running r) {
    running.put(r.runId(), r);
    r.completion()
        .whenComplete(
            (summary, failure) -> {
              r.lock().close();
              ended.put(r.runId(), new Ended(r.config(), r.engine().progress()));
              running.remove(r.runId());
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException
                      ? failure.getCause()
                      : failure;
              if (cause instanceof EngineStopped)
                log.info("campaign {}: {}", r.runId(), cause.getMessage());
              else if (failure != null)
                log.error("campaign {} failed: {}", r.runId(), failure.getMessage(), failure);
              else
                log.info(
                    "campaign {} ended {}: {}", r.runId(), summary.status(), summary.stopReason());
            });
  }

  Optional<Running> get(String runId) {
    return Optional.ofNullable(running.get(runId));
  }

  /** The run of campaign {@code name} running here, if any. */
  Optional<Running> ofCampaign(String name) {
    return running.values().stream().filter(r -> r.config().name().equals(name)).findFirst();
  }

  Collection<Running> all() {
    return List.copyOf(running.values());
  }

  int count() {
    return running.size();
  }

  /**
   * The last counts of a run: its engine's if it runs here, else those it had when it ended here.
   */
  Optional<Progress> progress(String runId) {
    Running r = running.get(runId);
    if (r != null) return Optional.ofNullable(r.engine().progress());
    return Optional.ofNullable(ended.get(runId)).map(Ended::last);
  }

  /** The configuration of a run that runs or ran here. */
  Optional<CampaignConfig> config(String runId) {
    Running r = running.get(runId);
    if (r != null) return Optional.of(r.config());
    return Optional.ofNullable(ended.get(runId)).map(Ended::config);
  }

  /**
   * Waits up to {@code timeout} for a run to end (its experiments in flight failed, the run stored
   * ABORTED).
   */
  void awaitEnd(String runId, Duration timeout) {
    Running r = running.get(runId);
    if (r == null) return;
    try {
      r.completion().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("run {} did not end cleanly after the abort: {}", runId, e.toString());
    }
  }

  /**
   * Closes the locks of every run (shutdown); the runs stay RUNNING in the store for the next
   * start.
   */
  void releaseLocks() {
    running.values().forEach(r -> r.lock().close());
  }
}
