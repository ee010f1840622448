package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.planners.Observation;
import io.labloop.planners.Planner;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.PriorData;
import io.labloop.planners.Suggestion;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the planner for new experiments and records its answers. How many to ask for: as many as the
 * first workflow instrument has free slots (its capacity minus the experiments waiting for it),
 * within the budget, and with in-flight work capped at the workflow's total capacity plus one batch
 * for the first instrument, so the synthesizer prepares the next sample while the measurer measures
 * the last without starving the planner of results. Every experiment in flight, and every HELD one,
 * is passed as pending. Each suggestion becomes a stored experiment (PLANNED, or AWAITING_APPROVAL
 * under {@code approval: manual}) with the planner's decision beside it.
 *
 * <p>Separate from {@link CampaignEngine} because it owns the planner and the one call in flight to
 * it: the planner runs on its own thread (the pool the engine gives it) and its answer comes back
 * to the engine thread through {@link Coordinator#later}. A planner that returns fewer points than
 * asked is not asked again until an experiment ends or starts.
 */
final class Planning {

  private static final Logger log = LoggerFactory.getLogger(Planning.class);

  private final CampaignConfig campaign;
  private final Lab lab;
  private final int maxInFlight;
  private final ExecutorService thread;
  private final Coordinator loop;
  private Planner planner;
  private List<PriorData> prior = List.of();
  private boolean busy;

  /** The {@link #marker} at which the planner last ran dry; -1 before. */
  private int dryAt = -1;

  Planning(
      CampaignConfig campaign, Lab lab, int maxInFlight, ExecutorService thread, Coordinator loop) {
    this.campaign = campaign;
    this.lab = lab;
    this.maxInFlight = maxInFlight;
    this.thread = thread;
    this.loop = loop;
  }

  /** The planner of this run, made for its seed once the run is known. */
  void use(Planner planner) {
    this.planner = planner;
  }

  /** Earlier observations every planning state carries (a warm start; not in the budget). */
  void prior(List<PriorData> prior) {
    this.prior = List.copyOf(prior);
  }

  /**
   * Asks the planner for as many points as there are free slots, unless it is already thinking or
   * ran dry with nothing changed since.
   *
   * @param experiments every experiment of the run
   */
  void fill(Collection<LiveExperiment> experiments, List<Observation> observations) {
    if (busy) return;
    List<LiveExperiment> active = experiments.stream().filter(e -> !e.status.finished()).toList();
    int n = slots(active);
    int marker = observations.size() + active.size();
    if (n > 0 && dryAt != marker) ask(n, experiments, observations, marker);
  }

  /** How many new experiments to plan now; see the class comment. */
  private int slots(List<LiveExperiment> active) {
    List<WorkflowStep> workflow = campaign.workflow();
    String first = workflow.get(0).instrument();
    long waitingFirst = active.stream().filter(e -> e.stepIndex == 0).count();
    int free = lab.capacity(first) - (int) waitingFirst;
    Set<String> used = new LinkedHashSet<>();
    workflow.forEach(s -> used.add(s.instrument()));
    int totalCapacity = used.stream().mapToInt(lab::capacity).sum();
    int room = Math.min(totalCapacity + lab.capacity(first), maxInFlight) - active.size();
    int n = Math.min(free, room);
    OptionalInt budget = campaign.budget().experiments();
    if (budget.isPresent()) n = Math.min(n, budget.getAsInt() - loop.reachedOrPlanned());
    return Math.max(0, n);
  }

  private void ask(
      int n, Collection<LiveExperiment> experiments, List<Observation> observations, int marker) {
    busy = true;
    // A held experiment's outcome is unknown until a person releases it: to the planner it is
    // pending, so it does not suggest the same point again meanwhile.
    List<Point> pending =
        experiments.stream()
            .filter(e -> !e.status.finished() || e.status == ExperimentStatus.HELD)
            .map(e -> e.requested)
            .toList();
    PlanningState state =
        new PlanningState(
            campaign.space(), campaign.plannerObjectives(), observations, pending, prior);
    CompletableFuture.supplyAsync(() -> planner.suggest(state, n), thread)
        .whenComplete(
            (suggestions, error) -> loop.later(() -> answered(suggestions, error, n, marker)));
  }

  private void answered(List<Suggestion> suggestions, Throwable error, int asked, int marker) {
    busy = false;
    if (loop.ended()) return;
    if (error != null) {
      Throwable cause = error.getCause() != null ? error.getCause() : error;
      log.error("planner {} failed", planner.name(), cause);
      loop.event(
          EventKind.PLANNER_FAILED,
          Severity.ALERT,
          null,
          null,
          "planner " + planner.name() + " failed: " + cause.getMessage());
      loop.fail(
          new IllegalStateException(
              "planner " + planner.name() + " failed: " + cause.getMessage(), cause));
      return;
    }
    if (suggestions.size() < asked) dryAt = marker;
    if (!loop.stopping()) {
      for (Suggestion s : suggestions) {
        boolean manual = campaign.approval() == CampaignConfig.Approval.MANUAL;
        LiveExperiment e =
            loop.plan(
                s,
                manual ? ExperimentStatus.AWAITING_APPROVAL : ExperimentStatus.PLANNED,
                OptionalInt.empty());
        loop.notifyExperiment(e);
        if (manual) {
          loop.event(
              EventKind.APPROVAL_NEEDED,
              Severity.INFO,
              null,
              e.seq,
              "experiment #"
                  + e.seq
                  + " waits for approval: "
                  + s.point()
                  + " ("
                  + s.reason()
                  + ")");
        }
      }
    }
    if (suggestions.isEmpty() && loop.activeCount() == 0 && !loop.stopping())
      loop.stop("the planner has no new points to suggest");
    loop.tick();
  }
}
