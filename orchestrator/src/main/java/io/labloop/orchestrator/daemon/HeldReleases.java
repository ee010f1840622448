package io.labloop.orchestrator.daemon;

import static io.labloop.orchestrator.daemon.EngineCalls.await;

import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.ReleaseRequest;
import io.labloop.orchestrator.campaign.HeldExperiments;
import io.labloop.orchestrator.campaign.Release;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A person's release of a held experiment through the API (retry it, count it as failed, or give
 * the values measured by hand). Who decides depends on where the run is: a run this daemon runs is
 * released by its engine; an unfinished run that another process runs is refused with what to do
 * instead; an ended run is released in the store ({@link HeldExperiments#releaseEnded}). Values
 * measured by hand are checked against the campaign's objectives, read from the running
 * configuration or, for a run not running here, from the campaign text stored with it.
 */
final class HeldReleases {
  private final Store store;
  private final RunningCampaigns running;
  private final CampaignFiles files;
  private final AuditTrail audit;

  HeldReleases(Store store, RunningCampaigns running, CampaignFiles files, AuditTrail audit) {
    this.store = store;
    this.running = running;
    this.files = files;
    this.audit = audit;
  }

  /**
   * @param id the run's id as the request spelled it
   * @param r the run
   */
  ExperimentView release(String id, RunRecord r, int seq, ReleaseRequest request, Actor who) {
    String note = who.name() + (request.reason().isEmpty() ? "" : ": " + request.reason());
    Release decision =
        switch (request.action()) {
          case RETRY -> new Release.Retry(note);
          case FAIL -> new Release.Fail(note);
          case MEASURED -> new Release.Measured(checkedValues(r, request.values()), note);
        };
    Optional<Running> here = running.get(r.id());
    ExperimentRecord after;
    if (here.isPresent()) {
      after = await(here.get().engine().release(seq, decision), "release");
    } else if (r.status() == RunStatus.RUNNING) {
      throw ApiProblem.conflict(
          "campaign "
              + id
              + " is unfinished but this daemon does not run it (a 'labloop run' may be running it);"
              + " stop that run, then submit its campaign file here ('labloop submit FILE'): the daemon resumes the run, and #"
              + seq
              + " can be released");
    } else {
      try {
        after = HeldExperiments.releaseEnded(store, r, objectives(r), seq, decision);
      } catch (IllegalStateException e) {
        throw ApiProblem.conflict(e.getMessage());
      }
    }
    String what =
        switch (request.action()) {
          case RETRY -> "released experiment #" + seq + " for a retry as #" + after.seq();
          case FAIL -> "released experiment #" + seq + " as failed";
          case MEASURED ->
              "released experiment #" + seq + " with values measured by hand " + after.values();
        };
    audit.record(
        r.id(), who, what + (request.reason().isEmpty() ? "" : " (" + request.reason() + ")"));
    return ApiViews.experiment(after);
  }

  /**
   * The objective names of a run's campaign: from the running configuration, else from the text
   * stored with the run.
   */
  private List<String> objectives(RunRecord r) {
    CampaignConfig c = running.config(r.id()).orElse(null);
    if (c == null) c = files.ofRun(r, "objectives");
    return c.objectives().stream().map(o -> o.objective().name()).toList();
  }

  private Map<String, Double> checkedValues(RunRecord r, Map<String, Double> values) {
    try {
      return HeldExperiments.checkedValues(values, objectives(r));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(e.getMessage(), List.of());
    }
  }
}
