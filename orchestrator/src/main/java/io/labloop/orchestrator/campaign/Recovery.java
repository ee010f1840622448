package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import io.labloop.planners.Suggestion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Resumes a run from the store, after Ctrl-C, a crash or a power cut. {@link #load} rebuilds the
 * engine's working copy: the observations the planner learns from, every experiment with its
 * status, and for an unfinished one the outputs of its DONE steps (the step journal replayed in
 * order) and where it stands. {@link #settle} then decides what a stop left half done: a step
 * STARTED but not DONE was maybe sent, so it is sent again only if its command is idempotent, or
 * asked again with the same journal key when the instrument is on an agent (whose own journal knows
 * whether the instrument got it); otherwise the experiment is INTERRUPTED and the campaign's {@code
 * on-interrupt} rule applies (fail, retry as a new experiment within the budget, or hold for a
 * person).
 *
 * <p>Separate from {@link CampaignEngine} because it runs once, before the loop starts, and reads
 * the journal rather than events; the engine numbers experiments between the two calls so that a
 * retry takes the number after every stored experiment.
 */
final class Recovery {

  /** An unfinished experiment and the journal row of the step it had reached. */
  record Open(LiveExperiment experiment, StepRecord step) {}

  private final CampaignConfig campaign;
  private final Lab lab;
  private final Store store;
  private final StopRules stopRules;
  private final Coordinator loop;

  Recovery(CampaignConfig campaign, Lab lab, Store store, StopRules stopRules, Coordinator loop) {
    this.campaign = campaign;
    this.lab = lab;
    this.store = store;
    this.stopRules = stopRules;
    this.loop = loop;
  }

  /**
   * Fills {@code experiments} and {@code observations} from the stored run; DONE experiments go to
   * the stop rules' standing in stored order.
   *
   * @return the unfinished experiments whose current step has a journal row, in stored order
   */
  List<Open> load(
      String runId, Map<Integer, LiveExperiment> experiments, List<Observation> observations) {
    for (ObservationRecord o : store.observations(runId)) observations.add(o.observation());
    Map<Integer, Map<Integer, StepRecord>> lastAttempt = new HashMap<>();
    Map<Integer, Map<Integer, Integer>> attempts = new HashMap<>();
    for (StepRecord s : store.steps(runId)) {
      lastAttempt.computeIfAbsent(s.seq(), k -> new HashMap<>()).put(s.stepIndex(), s);
      attempts
          .computeIfAbsent(s.seq(), k -> new HashMap<>())
          .merge(s.stepIndex(), s.attempt(), Math::max);
    }
    List<Open> open = new ArrayList<>();
    for (ExperimentRecord r : store.experiments(runId)) {
      LiveExperiment e = new LiveExperiment(r.seq(), r.requested());
      e.status = r.status();
      e.reached = r.reached();
      e.retryOf = r.retryOf();
      experiments.put(e.seq, e);
      if (r.status() == ExperimentStatus.DONE) {
        stopRules.observed(e.seq, r.achieved().orElse(r.requested()), r.values());
      }
      if (r.status().finished()) continue;
      Map<Integer, StepRecord> steps = lastAttempt.getOrDefault(e.seq, Map.of());
      e.attempts.putAll(attempts.getOrDefault(e.seq, Map.of()));
      while (e.stepIndex < campaign.workflow().size()) {
        StepRecord s = steps.get(e.stepIndex);
        if (s == null || s.status() != StepStatus.DONE) break;
        e.outputs.put(s.stepId(), s.outputs());
        e.stepIndex++;
      }
      StepRecord current = steps.get(e.stepIndex);
      if (current != null) open.add(new Open(e, current));
    }
    return open;
  }

  /**
   * Settles each step a stop left open: journaled, and the experiment goes on, ends or waits for a
   * person.
   */
  void settle(List<Open> open) {
    for (Open o : open) {
      LiveExperiment e = o.experiment();
      StepRecord step = o.step();
      if (step.status() == StepStatus.STARTED) {
        settleStarted(e, step);
      } else if (step.status() == StepStatus.INTERRUPTED) {
        onInterrupt(e, step.error().orElse("interrupted"));
      } else if (step.status() == StepStatus.FAILED) {
        loop.finish(
            e,
            ExperimentStatus.FAILED,
            step.errorKind().orElse("error") + ": " + step.error().orElse(""),
            false);
      }
    }
  }

  private void settleStarted(LiveExperiment e, StepRecord open) {
    WorkflowStep step = campaign.workflow().get(e.stepIndex);
    CommandConfig command = lab.instrumentConfig(step.instrument()).commands().get(step.command());
    Optional<String> agent = lab.agentOf(step.instrument());
    String inFlight =
        step.instrument() + "." + step.command() + " was in flight when the process stopped";
    if (command != null && command.idempotent()) {
      store.stepEnded(
          loop.runId(),
          e.seq,
          e.stepIndex,
          open.attempt(),
          StepStatus.INTERRUPTED,
          "interrupted",
          "the process stopped with the command in flight; sent again because it is idempotent");
      resendEvent(e, step, inFlight + "; it is idempotent and is sent again");
    } else if (agent.isPresent()) {
      // the agent journaled the key before the instrument got it: asking again with the same key
      // and attempt gets its answer (or joins the command still running), never a second send
      e.rejoin = open.attempt();
      resendEvent(
          e,
          step,
          inFlight
              + "; agent "
              + agent.get()
              + " is asked again with journal key "
              + open.idempotencyKey()
              + " and answers from its own journal, so the instrument does not receive it twice");
    } else {
      String why = inFlight + " and is not idempotent, so it is not sent again";
      store.stepEnded(
          loop.runId(),
          e.seq,
          e.stepIndex,
          open.attempt(),
          StepStatus.INTERRUPTED,
          "interrupted",
          why);
      onInterrupt(e, why);
    }
  }

  private void resendEvent(LiveExperiment e, WorkflowStep step, String what) {
    loop.event(
        EventKind.RESEND,
        Severity.INFO,
        step.instrument(),
        e.seq,
        "experiment #" + e.seq + ": " + what);
  }

  /**
   * A step ended INTERRUPTED while the run was going (an agent restarted with the command in
   * flight): the campaign's {@code on-interrupt} rule applies as after a crash.
   */
  void interrupted(LiveExperiment e, String why) {
    onInterrupt(e, why);
  }

  private void onInterrupt(LiveExperiment e, String why) {
    String cause = "interrupted: " + why;
    switch (campaign.onInterrupt()) {
      case HOLD -> {
        loop.finish(e, ExperimentStatus.HELD, cause, false);
        loop.event(
            EventKind.HELD,
            Severity.ALERT,
            null,
            e.seq,
            "experiment #" + e.seq + " is held for a person to check: " + why);
      }
      case RETRY -> {
        loop.finish(e, ExperimentStatus.INTERRUPTED, cause, false);
        OptionalInt budget = campaign.budget().experiments();
        if (budget.isPresent() && loop.reachedOrPlanned() >= budget.getAsInt()) {
          loop.event(
              EventKind.RETRY_SKIPPED,
              Severity.WARNING,
              null,
              e.seq,
              "experiment #" + e.seq + " interrupted; no budget left to retry it");
          return;
        }
        Suggestion again =
            Suggestion.of(e.requested, "retry", "retry of #" + e.seq + " after an interruption");
        LiveExperiment retry = loop.plan(again, ExperimentStatus.PLANNED, OptionalInt.of(e.seq));
        loop.event(
            EventKind.RETRY,
            Severity.INFO,
            null,
            retry.seq,
            "experiment #" + retry.seq + " retries #" + e.seq + " (" + why + ")");
      }
      case FAIL -> {
        loop.finish(e, ExperimentStatus.INTERRUPTED, cause, false);
        loop.event(
            EventKind.INTERRUPTED,
            Severity.WARNING,
            null,
            e.seq,
            "experiment #" + e.seq + " " + cause);
      }
    }
  }
}
