package io.labloop.orchestrator.campaign;

import io.labloop.drivers.Command;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import io.labloop.planners.Planner;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one campaign on a {@link Lab}: the closed loop.
 *
 * <h2>The algorithm</h2>
 *
 * All state lives on one engine thread; instrument replies, leases, timers and the planner's
 * answers are handed to it, so nothing is locked and every transition happens in a known
 * order. After each event the engine "ticks":
 *
 * <ol>
 *   <li>Stop rules are checked ({@link StopRules}: budget counted as experiments that reached
 *       an instrument, wall time, target reached, no improvement). A stopping run starts
 *       nothing new and ends when its experiments in flight have ended.
 *   <li>If the first workflow instrument has a free slot (its capacity minus the experiments
 *       waiting for it) and the budget allows, the planner is asked (on its own thread) for
 *       that many points, with every experiment in flight passed as pending ({@link Planning}).
 *       In-flight work is capped at the workflow's total capacity plus one batch for the first
 *       instrument, so the synthesizer prepares the next sample while the measurer measures the
 *       last, but the planner is not starved of results.
 *   <li>Every experiment that is not waiting advances ({@link StepRunner}): it asks the lab for
 *       a lease on the next step's instrument (served fairly across campaigns), checks the
 *       step's limits (a violation fails the experiment; nothing is sent), reads the interlock
 *       variables (unmet: the step is held and retried, with an event; past the command's
 *       timeout the experiment fails), journals the step STARTED, sends the command and arms a
 *       watchdog. The reply is journaled DONE (outputs and raw files) before anything else is sent.
 *   <li>When the last step is done, objective values are read from the step outputs named in
 *       the campaign, achieved conditions replace requested ones where the campaign maps
 *       them, and the observation is stored and given to the planner.
 * </ol>
 *
 * <p>On start, a run that was RUNNING resumes from the store ({@link Recovery}): DONE data
 * stays; a step STARTED but not DONE is sent again only if its command is idempotent,
 * otherwise the experiment is INTERRUPTED and the campaign's {@code on-interrupt} rule
 * applies; the planner sees the stored observations, so it plans as it would have. A HELD
 * experiment waits for a person ({@link #release}); until then the planner sees its point as
 * pending.
 *
 * <p>The engine is the coordinator: it owns the run's state (the experiments in memory, the
 * observations, pause/stop/abort), the engine thread and the pools for driver calls and the
 * planner, and the public API; its parts reach back to it through {@link Coordinator}, and
 * {@link Reporting} tells listeners what happened.
 *
 * <p>What the planner learns from a failure: a refusal by the instrument, a limit violation
 * or a rejection by a person is a FAILED observation (the point itself is the problem); a
 * timeout, a lost connection, garbage, an interlock hold or an abort is not (the point is
 * not to blame and may be suggested again).
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

  private final ScheduledThreadPoolExecutor loop;
  /** The planner runs here, off the engine thread, one call at a time. */
  private final ExecutorService plannerThread;
  /** Driver calls are made here, never on the engine thread: a driver that blocks must not stop the loop. */
  private final ExecutorService calls;
  private final StepRunner steps;
  private final Recovery recovery;
  private final Planning planning;
  private final Reporting reporting;
  private final CompletableFuture<RunSummary> completion = new CompletableFuture<>();

  // ---- state, touched only on the engine thread
  private RunRecord run;
  private final Map<Integer, LiveExperiment> experiments = new LinkedHashMap<>();
  private final List<Observation> observations = new ArrayList<>();
  private int nextSeq = 1;
  private boolean paused;
  private boolean stopping;
  private boolean aborted;
  private boolean finished;
  private String stopReason = "";
  private Instant sessionStart;
  private int endedThisSession;

  private CampaignEngine(Builder b) {
    this.campaign = Objects.requireNonNull(b.campaign, "campaign");
    this.lab = Objects.requireNonNull(b.lab, "lab");
    this.store = Objects.requireNonNull(b.store, "store");
    this.plannerFactory = Objects.requireNonNull(b.planner, "planner");
    this.requestedSeed = b.seed != null ? b.seed : campaign.planner().seed();
    this.restart = b.restart;
    this.clock = b.clock;
    this.stopRules = new StopRules(campaign, b.clock);
    this.reporting = new Reporting(store, b.clock, campaign.budget().experiments());
    this.loop = new ScheduledThreadPoolExecutor(1, r -> daemonThread(r, "campaign-" + campaign.name()));
    this.loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.loop.setRemoveOnCancelPolicy(true);
    this.plannerThread = Executors.newSingleThreadExecutor(r -> daemonThread(r, "planner-" + campaign.name()));
    this.calls = Executors.newCachedThreadPool(r -> daemonThread(r, "instrument-call-" + campaign.name()));
    Parts parts = new Parts();
    this.steps = new StepRunner(campaign, lab, store, clock, b.interlockPoll, calls, parts);
    this.recovery = new Recovery(campaign, lab, store, stopRules, parts);
    this.planning = new Planning(campaign, lab, b.maxInFlight, plannerThread, parts);
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How to assemble an engine; campaign, lab, store and planner are required. */
  public static final class Builder {
    private CampaignConfig campaign;
    private Lab lab;
    private Store store;
    private LongFunction<Planner> planner;
    private Long seed;
    private boolean restart;
    private Duration interlockPoll = Duration.ofMillis(250);
    private Clock clock = Clock.systemUTC();
    private int maxInFlight = Integer.MAX_VALUE;

    private Builder() {}

    /**
     * At most this many experiments planned or running at once (default: as many as keep the
     * instruments busy; see the class comment). 1 runs experiments strictly one after another.
     */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1");
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder campaign(CampaignConfig campaign) {
      this.campaign = campaign;
      return this;
    }

    public Builder lab(Lab lab) {
      this.lab = lab;
      return this;
    }

    public Builder store(Store store) {
      this.store = store;
      return this;
    }

    /** Makes the planner for a seed: a resumed run uses the seed it was started with. */
    public Builder planner(LongFunction<Planner> planner) {
      this.planner = planner;
      return this;
    }

    /** The seed of a new run (default: the campaign's {@code planner.seed}). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Start a new run even if one is unfinished (the old one is kept). */
    public Builder restart(boolean restart) {
      this.restart = restart;
      return this;
    }

    /** How often a step held by an interlock reads the variables again. */
    public Builder interlockPoll(Duration poll) {
      this.interlockPoll = poll;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public CampaignEngine build() {
      return new CampaignEngine(this);
    }
  }

  // =================================================================== public API

  /**
   * Creates or resumes the run and starts the loop. Returns when the run is ready (the
   * loop goes on in the background).
   *
   * @return completes with the summary when the run ends (stop rule, abort, or already
   *     finished before), exceptionally if the store or the planner fails
   * @throws CampaignProblem if the campaign does not fit the lab or changed under its run
   */
  public CompletableFuture<RunSummary> start() {
    try {
      loop.submit(this::begin).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException e) {
      shutdownThreads();
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
    return onLoop(() -> {
      if (finished || paused) return;
      paused = true;
      event("paused", "info", null, null, "paused: running steps finish, no new step starts");
      publishProgress();
    });
  }

  public CompletableFuture<Void> resume() {
    return onLoop(() -> {
      if (finished || !paused) return;
      paused = false;
      event("resumed", "info", null, null, "resumed");
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
   * Leaves the run as it is, for the next start to resume (Ctrl-C, daemon shutdown): starts no
   * new step, waits up to {@code grace} for the commands in flight to answer and be journaled,
   * then stops without ending the run. A step still in flight after the grace stays STARTED and
   * is handled on resume like after a crash. The future of {@link #start()} then completes
   * exceptionally with {@link EngineStopped}.
   */
  public CompletableFuture<Void> shutdown(Duration grace) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    onLoop(() -> {
      if (finished) {
        stopped.complete(null);
        return;
      }
      paused = true;
      event("shutdown", "info", null, null, "shutting down: no new step starts; the run resumes on the next start");
      drain(clock.instant().plus(grace), stopped);
    }).exceptionally(t -> {
      stopped.complete(null); // already ended
      return null;
    });
    return stopped;
  }

  private void drain(Instant deadline, CompletableFuture<Void> stopped) {
    boolean inFlight = experiments.values().stream().anyMatch(e -> e.inFlight != 0);
    if (finished || !inFlight || !clock.instant().isBefore(deadline)) {
      if (!finished) {
        finished = true;
        for (LiveExperiment e : experiments.values()) {
          if (e.waitingLease != null) e.waitingLease.cancel(false);
          e.releaseLease();
        }
        long left = experiments.values().stream().filter(e -> e.inFlight != 0).count();
        String unanswered = left == 0 ? "" : " (" + left + " commands got no answer in time; they are settled on resume as after a crash)";
        completion.completeExceptionally(new EngineStopped("run " + run.id() + " stopped without ending" + unanswered
            + "; the next start resumes it"));
        shutdownThreads();
      }
      stopped.complete(null);
      return;
    }
    after(Duration.ofMillis(20), () -> drain(deadline, stopped));
  }

  /** Experiments waiting for a person ({@code approval: manual}), with the decision that chose each. */
  public CompletableFuture<List<ExperimentRecord>> awaitingApproval() {
    CompletableFuture<List<ExperimentRecord>> f = new CompletableFuture<>();
    onLoop(() -> f.complete(experiments.values().stream()
        .filter(e -> e.status == ExperimentStatus.AWAITING_APPROVAL).map(this::record).toList()))
        .exceptionally(t -> {
          f.completeExceptionally(t);
          return null;
        });
    return f;
  }

  /** Lets a suggested experiment run. Fails if {@code seq} is not waiting for approval. */
  public CompletableFuture<Void> approve(int seq) {
    return onLoop(() -> {
      LiveExperiment e = awaiting(seq);
      e.status = ExperimentStatus.PLANNED;
      store.setExperimentStatus(run.id(), seq, ExperimentStatus.PLANNED, Optional.empty());
      event("approved", "info", null, seq, "experiment #" + seq + " approved");
      notifyExperiment(e);
      tick();
    });
  }

  /** Refuses a suggestion; the planner learns it as a failed point and plans another. */
  public CompletableFuture<Void> reject(int seq, String why) {
    return onLoop(() -> {
      LiveExperiment e = awaiting(seq);
      String cause = "rejected: " + (why == null || why.isBlank() ? "by a person" : why);
      finishExperiment(e, ExperimentStatus.REJECTED, cause, true);
      event("rejected", "info", null, seq, "experiment #" + seq + " " + cause);
      tick();
    });
  }

  /**
   * Plans a researcher's own conditions as the next experiment (see {@link HandChosen}): stored
   * PLANNED (a person chose it, so no approval is asked) with a decision whose planner is
   * {@value HandChosen#PLANNER}, and counted in the budget like any experiment. The planner
   * sees it as pending until it ends, then learns from it.
   *
   * @throws IllegalStateException (through the future) if the run is stopping, the budget is
   *     used up, or the same conditions are already planned or running
   */
  public CompletableFuture<ExperimentRecord> suggestByHand(Point point, String who) {
    CompletableFuture<ExperimentRecord> f = new CompletableFuture<>();
    onLoop(() -> f.complete(planByHand(point, who))).exceptionally(t -> {
      f.completeExceptionally(t);
      return null;
    });
    return f;
  }

  private ExperimentRecord planByHand(Point point, String who) {
    if (stopping) throw new IllegalStateException("the run is stopping (" + stopReason + ") and starts no new experiment");
    OptionalInt budget = campaign.budget().experiments();
    if (budget.isPresent() && counted() + unreachedInFlight() >= budget.getAsInt()) {
      throw new IllegalStateException("no budget left (" + (counted() + unreachedInFlight()) + " of " + budget.getAsInt()
          + " experiments reached an instrument or are planned)");
    }
    for (LiveExperiment e : active()) {
      if (e.requested.equals(point)) throw new IllegalStateException("the same conditions are already experiment #" + e.seq);
    }
    LiveExperiment e = planExperiment(HandChosen.decision(point, who), ExperimentStatus.PLANNED, OptionalInt.empty());
    notifyExperiment(e);
    event("hand-chosen", "info", null, e.seq, "experiment #" + e.seq + " chosen by " + who + ": " + point);
    tick();
    return record(e);
  }

  /**
   * Settles an experiment HELD after an interruption, as a person decided (see {@link Release}):
   * a retry plans the same requested point again as a new experiment, if the budget allows and
   * the run is not stopping; a failure is learned by the planner as a failed point; values
   * measured by hand become its observation, as if its workflow had produced them.
   *
   * @return the experiment afterwards; for a retry, the new experiment
   */
  public CompletableFuture<ExperimentRecord> release(int seq, Release decision) {
    CompletableFuture<ExperimentRecord> f = new CompletableFuture<>();
    onLoop(() -> f.complete(releaseNow(seq, decision))).exceptionally(t -> {
      f.completeExceptionally(t);
      return null;
    });
    return f;
  }

  private ExperimentRecord releaseNow(int seq, Release decision) {
    LiveExperiment e = experiments.get(seq);
    if (e == null) throw new IllegalStateException("run " + run.id() + " has no experiment #" + seq);
    if (e.status != ExperimentStatus.HELD) throw HeldExperiments.notHeld(seq, e.status);
    String held = e.cause == null ? "held" : e.cause;
    ExperimentRecord result;
    if (decision instanceof Release.Retry) {
      if (stopping) {
        throw new IllegalStateException("the run is stopping (" + stopReason + ") and starts no new experiment; mark #" + seq
            + " failed or enter the values measured by hand");
      }
      OptionalInt budget = campaign.budget().experiments();
      if (budget.isPresent() && counted() + unreachedInFlight() >= budget.getAsInt()) {
        throw new IllegalStateException("no budget left to retry #" + seq + " (" + (counted() + unreachedInFlight()) + " of "
            + budget.getAsInt() + " experiments reached an instrument or are planned); mark it failed or enter the values measured by hand");
      }
      int retrySeq = nextSeq++;
      String cause = HeldExperiments.retryCause(held, decision.note(), retrySeq);
      store.retryHeld(run.id(), seq, cause, retrySeq,
          Suggestion.of(e.requested, "retry", "retry of held #" + seq + ": " + decision.note()));
      e.status = ExperimentStatus.INTERRUPTED;
      e.cause = cause;
      notifyExperiment(e);
      LiveExperiment retry = new LiveExperiment(retrySeq, e.requested);
      retry.retryOf = OptionalInt.of(seq);
      experiments.put(retrySeq, retry);
      notifyExperiment(retry);
      event("released", "info", null, seq, "experiment #" + seq + " released: its conditions run again as #" + retrySeq);
      result = record(retry);
    } else if (decision instanceof Release.Measured m) {
      Map<String, Double> values;
      try {
        values = HeldExperiments.checkedValues(m.values(), campaign.objectives().stream().map(o -> o.objective().name()).toList());
      } catch (IllegalArgumentException bad) {
        throw new IllegalStateException(bad.getMessage(), bad); // a refused request, not a failure of the run
      }
      Observation observation = Observation.ok(e.requested, values);
      e.status = ExperimentStatus.DONE;
      e.cause = HeldExperiments.measuredCause(held, decision.note());
      store.finishExperiment(run.id(), seq, ExperimentStatus.DONE, Optional.of(e.requested), values, Optional.of(e.cause),
          Optional.of(observation));
      observations.add(observation);
      stopRules.observed(seq, e.requested, values);
      notifyExperiment(e, Optional.of(e.requested), values, Optional.of(e.cause));
      event("released", "info", null, seq, "experiment #" + seq + " released with values measured by hand: " + values);
      result = record(e, Optional.of(e.requested), values, Optional.of(e.cause));
    } else {
      // finishExperiment counts it as ended this session; it ended before, so take that back (the ETA)
      finishExperiment(e, ExperimentStatus.FAILED, HeldExperiments.failedCause(held, decision.note()), true);
      endedThisSession--;
      event("released", "info", null, seq, "experiment #" + seq + " released as failed; the planner learns its point as a failure");
      result = record(e);
    }
    tick();
    return result;
  }

  private LiveExperiment awaiting(int seq) {
    LiveExperiment e = experiments.get(seq);
    if (e == null || e.status != ExperimentStatus.AWAITING_APPROVAL) {
      throw new IllegalStateException("experiment #" + seq + " is not waiting for approval");
    }
    return e;
  }

  private CompletableFuture<Void> onLoop(Runnable action) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          action.run();
          f.complete(null);
        } catch (IllegalStateException e) {
          f.completeExceptionally(e);
        } catch (RuntimeException e) {
          f.completeExceptionally(e);
          fatal(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("the run has ended"));
    }
    return f;
  }

  /** Runs {@code action} on the engine thread; a failure there (the store) ends the run. */
  private boolean later(Runnable action) {
    try {
      loop.execute(() -> guarded(action));
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("engine of {} already stopped; dropped a late task", campaign.name());
      return false;
    }
  }

  private ScheduledFuture<?> after(Duration delay, Runnable action) {
    try {
      return loop.schedule(() -> guarded(action), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  private void guarded(Runnable action) {
    if (finished && completion.isCompletedExceptionally()) return; // stopped or failed: write nothing more
    try {
      action.run();
    } catch (RuntimeException e) {
      fatal(e);
    }
  }

  // =================================================================== start and resume

  private void begin() {
    sessionStart = clock.instant();
    List<String> problems = Safety.problems(campaign, lab);
    if (!problems.isEmpty()) {
      throw new CampaignProblem("campaign " + campaign.name() + " does not fit lab " + lab.config().name() + ": "
          + String.join("; ", problems));
    }
    store.saveCampaign(campaign.name(), campaign.file(), campaign.text(), campaign.sha256());
    Optional<RunRecord> latest = store.latestRun(campaign.name());
    if (restart || latest.isEmpty()) {
      run = store.createRun(campaign.name(), campaign.sha256(), requestedSeed);
      planning.use(plannerFactory.apply(run.seed()));
      event("run-started", "info", null, null, "run " + run.id() + " started (seed " + run.seed() + ")");
    } else {
      run = latest.get();
      if (!run.campaignSha256().equals(campaign.sha256())) {
        throw new CampaignProblem("the campaign file changed since run " + run.id() + " started with it; add --restart to start"
            + " a new run with the new file (the old run is kept)");
      }
      planning.use(plannerFactory.apply(run.seed()));
      recover();
      if (run.status() != RunStatus.RUNNING) {
        finished = true;
        stopReason = run.stopReason().orElse(run.status().name().toLowerCase());
        publishProgress();
        completion.complete(summary(run.status()));
        shutdownThreads();
        return;
      }
      event("run-resumed", "info", null, null, "run " + run.id() + " resumed with " + observations.size() + " observations");
    }
    publishProgress();
    later(this::tick);
  }

  /** Rebuilds the state from the store and settles what a crash left half done (see {@link Recovery}). */
  private void recover() {
    List<Recovery.Open> open = recovery.load(run.id(), experiments, observations);
    // numbers first: a retry planned while settling takes the next free one, after every stored experiment
    for (int seq : experiments.keySet()) nextSeq = Math.max(nextSeq, seq + 1);
    recovery.settle(open);
  }

  /** Stores a new experiment for {@code s} under the next number and adds it to the run. */
  private LiveExperiment planExperiment(Suggestion s, ExperimentStatus status, OptionalInt retryOf) {
    int seq = nextSeq++;
    store.planExperiment(run.id(), seq, s.point(), s, status, retryOf);
    LiveExperiment e = new LiveExperiment(seq, s.point());
    e.status = status;
    e.retryOf = retryOf;
    experiments.put(seq, e);
    return e;
  }

  // =================================================================== the loop

  private void tick() {
    if (finished) return;
    if (!stopping) stopRules.reason(run.startedAt(), counted(), experiments.size()).ifPresent(this::stop);
    if (stopping) {
      for (LiveExperiment e : List.copyOf(experiments.values())) {
        if (e.status == ExperimentStatus.AWAITING_APPROVAL) {
          finishExperiment(e, ExperimentStatus.FAILED, "not approved before the campaign stopped", false);
        }
      }
      if (active().isEmpty()) {
        endRun(RunStatus.COMPLETED, stopReason);
        return;
      }
    } else if (!paused) {
      planning.fill(experiments.values(), observations);
    }
    if (!paused) {
      for (LiveExperiment e : active()) steps.advance(e);
    }
    publishProgress();
  }

  /** Starts nothing new from now on; the run ends when its experiments in flight have ended. */
  private void stop(String reason) {
    stopping = true;
    stopReason = reason;
    event("stopping", "info", null, null, "stopping: " + stopReason);
  }

  private List<LiveExperiment> active() {
    return experiments.values().stream().filter(e -> !e.status.finished()).toList();
  }

  private int counted() {
    return (int) experiments.values().stream().filter(e -> e.reached).count();
  }

  private int unreachedInFlight() {
    return (int) experiments.values().stream().filter(e -> !e.reached && !e.status.finished()).count();
  }

  private void done(LiveExperiment e, Point point, Map<String, Double> values) {
    Observation observation = Observation.ok(point, values);
    e.status = ExperimentStatus.DONE;
    e.busy = false;
    store.finishExperiment(run.id(), e.seq, ExperimentStatus.DONE, Optional.of(point), values, Optional.ofNullable(e.cause),
        Optional.of(observation));
    observations.add(observation);
    endedThisSession++;
    stopRules.observed(e.seq, point, values);
    notifyExperiment(e, Optional.of(point), values, Optional.ofNullable(e.cause));
  }

  private void finishExperiment(LiveExperiment e, ExperimentStatus status, String cause, boolean learned) {
    e.status = status;
    e.busy = false;
    e.cause = cause;
    Optional<Observation> failed = learned ? Optional.of(Observation.failed(e.requested)) : Optional.empty();
    store.finishExperiment(run.id(), e.seq, status, Optional.empty(), Map.of(), Optional.of(cause), failed);
    failed.ifPresent(observations::add);
    endedThisSession++;
    notifyExperiment(e, Optional.empty(), Map.of(), Optional.of(cause));
  }

  // =================================================================== abort and the end

  private void abortNow(String reason) {
    if (finished) return;
    aborted = true;
    stopping = true;
    stopReason = "aborted: " + reason;
    event("abort", "alert", null, null, "abort: " + reason);
    Set<String> used = new LinkedHashSet<>();
    campaign.workflow().forEach(s -> used.add(s.instrument()));
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (String instrument : used) {
      Optional<String> command = lab.abortCommand(instrument);
      if (command.isEmpty()) continue;
      CompletableFuture<Reply> f = steps.call(() -> lab.instrument(instrument).execute(Command.of(command.get())));
      sent.add(f.orTimeout(10, TimeUnit.SECONDS).handle((r, t) -> {
        later(() -> event(t == null ? "abort-sent" : "abort-failed", t == null ? "info" : "alert", instrument, null,
            instrument + "." + command.get() + (t == null ? " acknowledged" : " failed: " + StepRunner.rootMessage(t))));
        return null;
      }));
    }
    for (LiveExperiment e : active()) {
      if (e.waitingLease != null) e.waitingLease.cancel(false);
      if (e.watchdog != null) e.watchdog.cancel(false);
      if (e.inFlight != 0) {
        store.stepEnded(run.id(), e.seq, e.stepIndex, e.inFlight, StepStatus.FAILED, "aborted", reason);
        e.inFlight = 0;
      }
      e.releaseLease();
      finishExperiment(e, ExperimentStatus.FAILED, "aborted: " + reason, false);
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, t) -> later(() -> endRun(RunStatus.ABORTED, stopReason)));
  }

  private void endRun(RunStatus status, String reason) {
    if (finished) return;
    finished = true;
    store.endRun(run.id(), status, reason);
    run = store.run(run.id()).orElse(run);
    event("run-ended", "info", null, null, "run " + run.id() + " " + status.name().toLowerCase() + ": " + reason);
    publishProgress();
    completion.complete(summary(status));
    shutdownThreads();
  }

  private RunSummary summary(RunStatus status) {
    return new RunSummary(run.id(), status, stopReason, store.experiments(run.id()), stopRules.best());
  }

  private void fatal(Throwable t) {
    log.error("campaign {} stopped: {}", campaign.name(), t.getMessage(), t);
    fail(t);
  }

  /** Ends the session without ending the run: it stays RUNNING, so the next start resumes it. */
  private void fail(Throwable t) {
    if (finished) return;
    finished = true;
    for (LiveExperiment e : experiments.values()) {
      if (e.waitingLease != null) e.waitingLease.cancel(false);
      e.releaseLease();
    }
    completion.completeExceptionally(t);
    shutdownThreads();
  }

  private void shutdownThreads() {
    loop.shutdown();
    plannerThread.shutdownNow();
    calls.shutdown();
  }

  // =================================================================== events and progress

  private void event(String kind, String severity, String instrument, Integer seq, String message) {
    reporting.event(run.id(), kind, severity, instrument, seq, message);
  }

  private ExperimentRecord record(LiveExperiment e) {
    return record(e, Optional.empty(), Map.of(), Optional.ofNullable(e.cause));
  }

  private ExperimentRecord record(LiveExperiment e, Optional<Point> achieved, Map<String, Double> values, Optional<String> cause) {
    return reporting.record(run.id(), e, achieved, values, cause);
  }

  private void notifyExperiment(LiveExperiment e) {
    notifyExperiment(e, Optional.empty(), Map.of(), Optional.ofNullable(e.cause));
  }

  private void notifyExperiment(LiveExperiment e, Optional<Point> achieved, Map<String, Double> values, Optional<String> cause) {
    reporting.experiment(run.id(), e, achieved, values, cause);
  }

  private void publishProgress() {
    Progress.State state = finished ? Progress.State.FINISHED : stopping ? Progress.State.STOPPING
        : paused ? Progress.State.PAUSED : Progress.State.RUNNING;
    reporting.progress(run.id(), state, experiments.values(), counted(), stopRules.best(), sessionStart, endedThisSession);
  }

  /** The engine as its parts see it (see {@link Coordinator}); private so that none of it becomes public API. */
  private final class Parts implements Coordinator {
    @Override
    public String runId() {
      return run.id();
    }

    @Override
    public boolean mayStartSteps() {
      return !paused && !aborted && !finished;
    }

    @Override
    public boolean ending() {
      return aborted || finished;
    }

    @Override
    public boolean ended() {
      return finished;
    }

    @Override
    public boolean stopping() {
      return stopping;
    }

    @Override
    public void stop(String reason) {
      CampaignEngine.this.stop(reason);
    }

    @Override
    public void fail(Throwable t) {
      CampaignEngine.this.fail(t);
    }

    @Override
    public int activeCount() {
      return active().size();
    }

    @Override
    public void event(String kind, String severity, String instrument, Integer seq, String message) {
      CampaignEngine.this.event(kind, severity, instrument, seq, message);
    }

    @Override
    public void finish(LiveExperiment e, ExperimentStatus status, String cause, boolean learned) {
      finishExperiment(e, status, cause, learned);
    }

    @Override
    public void done(LiveExperiment e, Point achieved, Map<String, Double> values) {
      CampaignEngine.this.done(e, achieved, values);
    }

    @Override
    public void notifyExperiment(LiveExperiment e) {
      CampaignEngine.this.notifyExperiment(e);
    }

    @Override
    public boolean later(Runnable action) {
      return CampaignEngine.this.later(action);
    }

    @Override
    public ScheduledFuture<?> after(Duration delay, Runnable action) {
      return CampaignEngine.this.after(delay, action);
    }

    @Override
    public LiveExperiment plan(Suggestion s, ExperimentStatus status, OptionalInt retryOf) {
      return planExperiment(s, status, retryOf);
    }

    @Override
    public int reachedOrPlanned() {
      return counted() + unreachedInFlight();
    }

    @Override
    public void tick() {
      CampaignEngine.this.tick();
    }
  }
}
