package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a person decides about one experiment of a running campaign: approve or reject a suggestion
 * ({@code approval: manual}), put in their own conditions ({@link HandChosen}), and release an
 * experiment HELD after an interruption ({@link Release}). Each decision is stored, told to the
 * listeners and followed by a tick, so the loop goes on at once.
 *
 * <p>Apart from {@link CampaignEngine} because these are requests from outside the loop, each
 * refused with an {@link IllegalStateException} that says why (the experiment is not waiting, the
 * run is stopping, no budget is left) and then changes nothing. Every method runs on the engine
 * thread.
 */
final class PersonDecisions {
  private final CampaignConfig campaign;
  private final Store store;
  private final Reporting reporting;
  private final Coordinator loop;

  PersonDecisions(CampaignConfig campaign, Store store, Reporting reporting, Coordinator loop) {
    this.campaign = campaign;
    this.store = store;
    this.reporting = reporting;
    this.loop = loop;
  }

  void approve(int seq) {
    LiveExperiment e = awaiting(seq);
    e.status = ExperimentStatus.PLANNED;
    store.setExperimentStatus(loop.runId(), seq, ExperimentStatus.PLANNED, Optional.empty());
    loop.event(EventKind.APPROVED, Severity.INFO, null, seq, "experiment #" + seq + " approved");
    loop.notifyExperiment(e);
    loop.tick();
  }

  void reject(int seq, String why) {
    LiveExperiment e = awaiting(seq);
    String cause = "rejected: " + (why == null || why.isBlank() ? "by a person" : why);
    loop.finish(e, ExperimentStatus.REJECTED, cause, true);
    loop.event(EventKind.REJECTED, Severity.INFO, null, seq, "experiment #" + seq + " " + cause);
    loop.tick();
  }

  /**
   * Plans a researcher's own conditions as the next experiment (see {@link HandChosen}): stored
   * PLANNED (a person chose it, so no approval is asked) with a decision whose planner is {@value
   * HandChosen#PLANNER}, and counted in the budget like any experiment. The planner sees it as
   * pending until it ends, then learns from it. The same conditions as an experiment in flight are
   * allowed: a person may want a replicate.
   *
   * @throws IllegalStateException if the run is stopping or the budget is used up
   */
  ExperimentRecord suggestByHand(Point point, String who) {
    if (loop.stopping())
      throw new IllegalStateException(
          "the run is stopping (" + loop.stopReason() + ") and starts no new experiment");
    OptionalInt budget = campaign.budget().experiments();
    int used = loop.reachedOrPlanned();
    if (budget.isPresent() && used >= budget.getAsInt()) {
      throw new IllegalStateException(
          "no budget left ("
              + used
              + " of "
              + budget.getAsInt()
              + " experiments reached an instrument or are planned)");
    }
    LiveExperiment e =
        loop.plan(HandChosen.decision(point, who), ExperimentStatus.PLANNED, OptionalInt.empty());
    loop.notifyExperiment(e);
    loop.event(
        EventKind.HAND_CHOSEN,
        Severity.INFO,
        null,
        e.seq,
        "experiment #" + e.seq + " chosen by " + who + ": " + point);
    loop.tick();
    return record(e);
  }

  /**
   * Settles an experiment HELD after an interruption, as a person decided (see {@link Release}): a
   * retry plans the same requested point again as a new experiment, if the budget allows and the
   * run is not stopping; a failure is learned by the planner as a failed point; values measured by
   * hand become its observation, as if its workflow had produced them.
   *
   * @return the experiment afterwards; for a retry, the new experiment
   */
  ExperimentRecord release(int seq, Release decision) {
    LiveExperiment e = loop.experiment(seq);
    if (e == null)
      throw new IllegalStateException("run " + loop.runId() + " has no experiment #" + seq);
    if (e.status != ExperimentStatus.HELD) throw HeldExperiments.notHeld(seq, e.status);
    String held = e.cause == null ? "held" : e.cause;
    ExperimentRecord result;
    if (decision instanceof Release.Retry) {
      result = retry(e, held, decision.note());
    } else if (decision instanceof Release.Measured m) {
      Map<String, Double> values;
      try {
        values =
            HeldExperiments.checkedValues(
                m.values(), campaign.objectives().stream().map(o -> o.objective().name()).toList());
      } catch (IllegalArgumentException bad) {
        throw new IllegalStateException(
            bad.getMessage(), bad); // a refused request, not a failure of the run
      }
      e.cause = HeldExperiments.measuredCause(held, decision.note());
      loop.done(e, e.requested, values);
      loop.endedEarlier();
      loop.event(
          EventKind.RELEASED,
          Severity.INFO,
          null,
          seq,
          "experiment #" + seq + " released with values measured by hand: " + values);
      result =
          reporting.record(loop.runId(), e, Optional.of(e.requested), values, Optional.of(e.cause));
    } else {
      loop.finish(
          e, ExperimentStatus.FAILED, HeldExperiments.failedCause(held, decision.note()), true);
      loop.endedEarlier();
      loop.event(
          EventKind.RELEASED,
          Severity.INFO,
          null,
          seq,
          "experiment #" + seq + " released as failed; the planner learns its point as a failure");
      result = record(e);
    }
    loop.tick();
    return result;
  }

  /**
   * Plans the held experiment's requested point again as a new experiment, if the run may still
   * start one.
   */
  private ExperimentRecord retry(LiveExperiment e, String held, String note) {
    int seq = e.seq;
    if (loop.stopping()) {
      throw new IllegalStateException(
          "the run is stopping ("
              + loop.stopReason()
              + ") and starts no new experiment; mark #"
              + seq
              + " failed or enter the values measured by hand");
    }
    OptionalInt budget = campaign.budget().experiments();
    int used = loop.reachedOrPlanned();
    if (budget.isPresent() && used >= budget.getAsInt()) {
      throw new IllegalStateException(
          "no budget left to retry #"
              + seq
              + " ("
              + used
              + " of "
              + budget.getAsInt()
              + " experiments reached an instrument or are planned); mark it failed or enter the values measured by hand");
    }
    int retrySeq = loop.nextSeq();
    String cause = HeldExperiments.retryCause(held, note, retrySeq);
    store.retryHeld(
        loop.runId(),
        seq,
        cause,
        retrySeq,
        Suggestion.of(e.requested, "retry", "retry of held #" + seq + ": " + note));
    e.status = ExperimentStatus.INTERRUPTED;
    e.cause = cause;
    loop.notifyExperiment(e);
    LiveExperiment retry = new LiveExperiment(retrySeq, e.requested);
    retry.retryOf = OptionalInt.of(seq);
    loop.add(retry);
    loop.notifyExperiment(retry);
    loop.event(
        EventKind.RELEASED,
        Severity.INFO,
        null,
        seq,
        "experiment #" + seq + " released: its conditions run again as #" + retrySeq);
    return record(retry);
  }

  private ExperimentRecord record(LiveExperiment e) {
    return reporting.record(
        loop.runId(), e, Optional.empty(), Map.of(), Optional.ofNullable(e.cause));
  }

  private LiveExperiment awaiting(int seq) {
    LiveExperiment e = loop.experiment(seq);
    if (e == null || e.status != ExperimentStatus.AWAITING_APPROVAL) {
      throw new IllegalStateException("experiment #" + seq + " is not waiting for approval");
    }
    return e;
  }
}
