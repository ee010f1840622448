package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.threads.Timers;
import io.labloop.planners.Planner;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one campaign on a {@link Lab}: the closed loop.
 *
 * <h2>The algorithm</h2>
 *
 * All state lives on one engine thread; instrument replies, leases, timers and the planner's
 * answers are handed to it, so nothing is locked and every transition happens in a known order.
 * After each event the engine "ticks":
 *
 * <ol>
 *   <li>Stop rules are checked ({@link StopRules}: budget counted as experiments that reached an
 *       instrument, wall time, target reached, no improvement). A stopping run starts nothing new
 *       and ends when its experiments in flight have ended.
 *   <li>If the first workflow instrument has a free slot (its capacity minus the experiments
 *       waiting for it) and the budget allows, the planner is asked (on its own thread) for that
 *       many points, with every experiment in flight passed as pending ({@link Planning}).
 *       In-flight work is capped at the workflow's total capacity plus one batch for the first
 *       instrument, so the synthesizer prepares the next sample while the measurer measures the
 *       last, but the planner is not starved of results.
 *   <li>Every experiment that is not waiting advances ({@link StepRunner}): it asks the lab for a
 *       lease on the next step's instrument (served fairly across campaigns), checks the step's
 *       limits (a violation fails the experiment; nothing is sent), reads the interlock variables
 *       (unmet: the step is held and retried, with an event; past the command's timeout the
 *       experiment fails), journals the step STARTED, sends the command and arms a watchdog. The
 *       reply is journaled DONE (outputs and raw files) before anything else is sent.
 *   <li>When the last step is done, objective values are read from the step outputs named in the
 *       campaign, achieved conditions replace requested ones where the campaign maps them, and the
 *       observation is stored and given to the planner.
 * </ol>
 *
 * <p>On start, a run that was RUNNING resumes from the store ({@link Recovery}): DONE data stays; a
 * step STARTED but not DONE is sent again only if its command is idempotent, otherwise the
 * experiment is INTERRUPTED and the campaign's {@code on-interrupt} rule applies; the planner sees
 * the stored observations, so it plans as it would have. A HELD experiment waits for a person
 * ({@link #release}); until then the planner sees its point as pending.
 *
 * <p>The engine is the coordinator: it owns the run's state ({@link RunState}: the experiments in
 * memory, the observations, pause/stop/abort) and the public API. {@link EngineThreads} says which
 * thread does what; {@link PersonDecisions} takes approvals and releases; the parts reach back to
 * the engine through {@link Coordinator} ({@link EngineCoordinator}); {@link Reporting} tells
 * listeners what happened.
 *
 * <p>What the planner learns from a failure: a refusal by the instrument, a limit violation or a
 * rejection by a person is a FAILED observation (the point itself is the problem); a timeout, a
 * lost connection, garbage, an interlock hold or an abort is not (the point is not to blame and may
 * be suggested again).
 */
public final class CampaignEngine {

  private static final Logger log = LoggerFactory.getLogger(CampaignEngine.class);

  private final CampaignConfig campaign;
  private final Lab lab;
  private final Store store;
  private final LongFunction<Planner> plannerFactory;
  private final long requestedSeed;
  private final boolean restart;
  private final Clock clock;
  private final StopRules stopRules;

  private final EngineThreads threads;
  private final StepRunner steps;
  private final Recovery recovery;
  private final Planning planning;
  private final Reporting reporting;
  private final PersonDecisions decisions;

  /** The engine as its parts see it. */
  private final Coordinator parts;

  private final CompletableFuture<RunSummary> completion = new CompletableFuture<>();

  /** The run's state, owned by the engine thread (see EngineThreads). */
  private final RunState state = new RunState();

  CampaignEngine(EngineBuilder b) {
    this.campaign = Objects.requireNonNull(b.campaign, "campaign");
    this.lab = Objects.requireNonNull(b.lab, "lab");
    this.store = Objects.requireNonNull(b.store, "store");
    this.plannerFactory = Objects.requireNonNull(b.planner, "planner");
    this.requestedSeed = b.seed != null ? b.seed : campaign.planner().seed();
    this.restart = b.restart;
    this.clock = b.clock;
    this.stopRules = new StopRules(campaign, b.clock);
    this.reporting = new Reporting(store, b.clock, campaign.budget().experiments());
    this.threads = new EngineThreads(campaign.name(), b.timers);
    this.parts = new EngineCoordinator(this, state, store, stopRules);
    this.steps = new StepRunner(campaign, lab, store, clock, b.interlockPoll, threads.calls, parts);
    this.recovery = new Recovery(campaign, lab, store, stopRules, parts);
    this.planning = new Planning(campaign, lab, b.maxInFlight, threads.planner, parts);
    this.decisions = new PersonDecisions(campaign, store, reporting, parts);
  }

  /** Starts the assembly of an engine (see {@link EngineBuilder}). */
  public static EngineBuilder builder() {
    return new EngineBuilder();
  }

  // =================================================================== public API

  /**
   * Creates or resumes the run and starts the loop. Returns when the run is ready (the loop goes on
   * in the background).
   *
   * @return completes with the summary when the run ends (stop rule, abort, or already finished
   *     before), exceptionally if the store or the planner fails
   * @throws CampaignProblem if the campaign does not fit the lab or changed under its run
   */
  public CompletableFuture<RunSummary> start() {
    try {
      threads.runAndWait(this::begin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException e) {
      threads.shutdown();
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
    return completion;
  }

  /** The run's id, once {@link #start()} returned. */
  public String runId() {
    Progress p = reporting.latest();
    return p == null ? "" : p.runId();
  }

  /** The latest counts (safe from any thread). */
  public Progress progress() {
    return reporting.latest();
  }

  public void addListener(EngineListener listener) {
    reporting.add(listener);
  }

  public void removeListener(EngineListener listener) {
    reporting.remove(listener);
  }

  /** Finish the steps that are running; start none until {@link #resume()}. */
  public CompletableFuture<Void> pause() {
    return onLoop(
        () -> {
          if (state.finished || state.paused) return;
          state.paused = true;
          event(
              EventKind.PAUSED,
              Severity.INFO,
              null,
              null,
              "paused: running steps finish, no new step starts");
          publishProgress();
        });
  }

  public CompletableFuture<Void> resume() {
    return onLoop(
        () -> {
          if (state.finished || !state.paused) return;
          state.paused = false;
          event(EventKind.RESUMED, Severity.INFO, null, null, "resumed");
          tick();
        });
  }

  /**
   * Stops at once: every instrument of the workflow that has an {@code abort} command gets it,
   * experiments in flight fail with the reason, and the run ends ABORTED.
   */
  public CompletableFuture<Void> abort(String reason) {
    return onLoop(() -> abortNow(reason));
  }

  /**
   * Leaves the run as it is, for the next start to resume (Ctrl-C, daemon shutdown): starts no new
   * step, waits up to {@code grace} for the commands in flight to answer and be journaled, then
   * stops without ending the run. A step still in flight after the grace stays STARTED and is
   * handled on resume like after a crash. The future of {@link #start()} then completes
   * exceptionally with {@link EngineStopped}.
   */
  public CompletableFuture<Void> shutdown(Duration grace) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    onLoop(
            () -> {
              if (state.finished) {
                stopped.complete(null);
                return;
              }
              state.paused = true;
              event(
                  EventKind.SHUTDOWN,
                  Severity.INFO,
                  null,
                  null,
                  "shutting down: no new step starts; the run resumes on the next start");
              drain(clock.instant().plus(grace), stopped);
            })
        .exceptionally(
            t -> {
              stopped.complete(null); // already ended
              return null;
            });
    return stopped;
  }

  private void drain(Instant deadline, CompletableFuture<Void> stopped) {
    long left = state.experiments.values().stream().filter(e -> e.inFlight != 0).count();
    if (state.finished || left == 0 || !clock.instant().isBefore(deadline)) {
      if (!state.finished) {
        state.finished = true;
        for (LiveExperiment e : state.experiments.values()) {
          e.letGo();
        }
        String unanswered =
            left == 0
                ? ""
                : " ("
                    + left
                    + " commands got no answer in time; they are settled on resume as after a crash)";
        completion.completeExceptionally(
            new EngineStopped(
                "run "
                    + state.run.id()
                    + " stopped without ending"
                    + unanswered
                    + "; the next start resumes it"));
        threads.shutdown();
      }
      stopped.complete(null);
      return;
    }
    after(Duration.ofMillis(20), () -> drain(deadline, stopped));
  }

  /**
   * Experiments waiting for a person ({@code approval: manual}), with the decision that chose each.
   */
  public CompletableFuture<List<ExperimentRecord>> awaitingApproval() {
    return threads.ask(
        () ->
            state.experiments.values().stream()
                .filter(e -> e.status == ExperimentStatus.AWAITING_APPROVAL)
                .map(
                    e ->
                        reporting.record(
                            state.run.id(),
                            e,
                            Optional.empty(),
                            Map.of(),
                            Optional.ofNullable(e.cause)))
                .toList(),
        this::fatal);
  }

  /** Lets a suggested experiment run. Fails if {@code seq} is not waiting for approval. */
  public CompletableFuture<Void> approve(int seq) {
    return onLoop(() -> decisions.approve(seq));
  }

  /** Refuses a suggestion; the planner learns it as a failed point and plans another. */
  public CompletableFuture<Void> reject(int seq, String why) {
    return onLoop(() -> decisions.reject(seq, why));
  }

  /**
   * Plans a researcher's own conditions as the next experiment; see {@link
   * PersonDecisions#suggestByHand}.
   */
  public CompletableFuture<ExperimentRecord> suggestByHand(Point point, String who) {
    return threads.ask(() -> decisions.suggestByHand(point, who), this::fatal);
  }

  /**
   * Settles an experiment HELD after an interruption, as a person decided; see {@link
   * PersonDecisions#release}.
   */
  public CompletableFuture<ExperimentRecord> release(int seq, Release decision) {
    return threads.ask(() -> decisions.release(seq, decision), this::fatal);
  }

  private CompletableFuture<Void> onLoop(Runnable action) {
    return threads.run(action, this::fatal);
  }

  /** Runs {@code action} on the engine thread; a failure there (the store) ends the run. */
  boolean later(Runnable action) {
    boolean queued = threads.later(() -> guarded(action));
    if (!queued) log.debug("engine of {} already stopped; dropped a late task", campaign.name());
    return queued;
  }

  Timers.Timer after(Duration delay, Runnable action) {
    return threads.after(delay, () -> guarded(action));
  }

  private void guarded(Runnable action) {
    if (state.finished && completion.isCompletedExceptionally())
      return; // stopped or failed: write nothing more
    try {
      action.run();
    } catch (RuntimeException e) {
      fatal(e);
    }
  }

  // =================================================================== start and resume

  private void begin() {
    state.sessionStart = clock.instant();
    List<String> problems = Safety.problems(campaign, lab);
    if (!problems.isEmpty()) {
      throw new CampaignProblem(
          "campaign "
              + campaign.name()
              + " does not fit lab "
              + lab.config().name()
              + ": "
              + String.join("; ", problems));
    }
    store.saveCampaign(campaign.name(), campaign.file(), campaign.text(), campaign.sha256());
    Optional<RunRecord> latest = store.latestRun(campaign.name());
    if (restart || latest.isEmpty()) {
      state.run = store.createRun(campaign.name(), campaign.sha256(), requestedSeed);
      planning.use(plannerFactory.apply(state.run.seed()));
      event(
          EventKind.RUN_STARTED,
          Severity.INFO,
          null,
          null,
          "run " + state.run.id() + " started (seed " + state.run.seed() + ")");
    } else {
      state.run = latest.get();
      if (!state.run.campaignSha256().equals(campaign.sha256())) {
        throw new CampaignProblem(
            "the campaign file changed since run "
                + state.run.id()
                + " started with it; add --restart to start"
                + " a new run with the new file (the old run is kept)");
      }
      planning.use(plannerFactory.apply(state.run.seed()));
      recover();
      if (state.run.status() != RunStatus.RUNNING) {
        state.finished = true;
        state.stopReason = state.run.stopReason().orElse(state.run.status().name().toLowerCase());
        publishProgress();
        completion.complete(summary(state.run.status()));
        threads.shutdown();
        return;
      }
      event(
          EventKind.RUN_RESUMED,
          Severity.INFO,
          null,
          null,
          "run " + state.run.id() + " resumed with " + state.observations.size() + " observations");
    }
    publishProgress();
    later(this::tick);
  }

  /**
   * Rebuilds the state from the store and settles what a crash left half done (see {@link
   * Recovery}).
   */
  private void recover() {
    List<Recovery.Open> open = recovery.load(state.run.id(), state.experiments, state.observations);
    // numbers first: a retry planned while settling takes the next free one, after every stored
    // experiment
    for (int seq : state.experiments.keySet()) state.nextSeq = Math.max(state.nextSeq, seq + 1);
    recovery.settle(open);
  }

  /** Stores a new experiment for {@code s} under the next number and adds it to the run. */
  LiveExperiment planExperiment(Suggestion s, ExperimentStatus status, OptionalInt retryOf) {
    int seq = state.nextSeq++;
    store.planExperiment(state.run.id(), seq, s.point(), s, status, retryOf);
    LiveExperiment e = new LiveExperiment(seq, s.point());
    e.status = status;
    e.retryOf = retryOf;
    state.experiments.put(seq, e);
    return e;
  }

  // =================================================================== the loop

  void tick() {
    if (state.finished) return;
    if (!state.stopping)
      stopRules
          .reason(state.run.startedAt(), state.counted(), state.experiments.size())
          .ifPresent(parts::stop);
    if (state.stopping) {
      for (LiveExperiment e : List.copyOf(state.experiments.values())) {
        if (e.status == ExperimentStatus.AWAITING_APPROVAL) {
          parts.finish(
              e, ExperimentStatus.FAILED, "not approved before the campaign stopped", false);
        }
      }
      if (state.active().isEmpty()) {
        endRun(RunStatus.COMPLETED, state.stopReason);
        return;
      }
    } else if (!state.paused) {
      planning.fill(state.experiments.values(), state.observations);
    }
    if (!state.paused) {
      for (LiveExperiment e : state.active()) steps.advance(e);
    }
    publishProgress();
  }

  // =================================================================== abort and the end

  private void abortNow(String reason) {
    if (state.finished) return;
    state.aborted = true;
    state.stopping = true;
    state.stopReason = "aborted: " + reason;
    event(EventKind.ABORT, Severity.ALERT, null, null, "abort: " + reason);
    CompletableFuture<Void> sent = steps.sendAborts();
    for (LiveExperiment e : state.active()) {
      if (e.waitingLease != null) e.waitingLease.cancel(false);
      if (e.watchdog != null) e.watchdog.cancel();
      if (e.inFlight != 0) {
        store.stepEnded(
            state.run.id(), e.seq, e.stepIndex, e.inFlight, StepStatus.FAILED, "aborted", reason);
        e.inFlight = 0;
      }
      e.releaseLease();
      parts.finish(e, ExperimentStatus.FAILED, "aborted: " + reason, false);
    }
    sent.whenComplete((ignored, t) -> later(() -> endRun(RunStatus.ABORTED, state.stopReason)));
  }

  private void endRun(RunStatus status, String reason) {
    if (state.finished) return;
    state.finished = true;
    store.endRun(state.run.id(), status, reason);
    state.run = store.run(state.run.id()).orElse(state.run);
    event(
        EventKind.RUN_ENDED,
        Severity.INFO,
        null,
        null,
        "run " + state.run.id() + " " + status.name().toLowerCase() + ": " + reason);
    publishProgress();
    completion.complete(summary(status));
    threads.shutdown();
  }

  private RunSummary summary(RunStatus status) {
    return new RunSummary(
        state.run.id(),
        status,
        state.stopReason,
        store.experiments(state.run.id()),
        stopRules.best());
  }

  private void fatal(Throwable t) {
    log.error("campaign {} stopped: {}", campaign.name(), t.getMessage(), t);
    fail(t);
  }

  /** Ends the session without ending the run: it stays RUNNING, so the next start resumes it. */
  void fail(Throwable t) {
    if (state.finished) return;
    state.finished = true;
    for (LiveExperiment e : state.experiments.values()) {
      e.letGo();
    }
    completion.completeExceptionally(t);
    threads.shutdown();
  }

  // =================================================================== events and progress

  void event(EventKind kind, Severity severity, String instrument, Integer seq, String message) {
    reporting.event(state.run.id(), kind, severity, instrument, seq, message);
  }

  void notifyExperiment(LiveExperiment e, Optional<Point> achieved, Map<String, Double> values) {
    reporting.experiment(state.run.id(), e, achieved, values, Optional.ofNullable(e.cause));
  }

  private void publishProgress() {
    reporting.progress(
        state.run.id(),
        state.phase(),
        state.experiments.values(),
        state.counted(),
        stopRules.best(),
        state.sessionStart,
        state.endedThisSession);
  }
}
