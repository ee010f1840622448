package io.labloop.orchestrator.daemon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignService;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.ExportFormat;
import io.labloop.orchestrator.api.InstrumentView;
import io.labloop.orchestrator.api.ObservationView;
import io.labloop.orchestrator.api.ReleaseRequest;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.HandChosen;
import io.labloop.planners.Point;
import io.labloop.orchestrator.campaign.CampaignProblem;
import io.labloop.orchestrator.campaign.EngineListener;
import io.labloop.orchestrator.campaign.HeldExperiments;
import io.labloop.orchestrator.campaign.Release;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.ConfigProblem;
import io.labloop.orchestrator.lab.HealthChecks;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.schedule.CronSchedule;
import io.labloop.orchestrator.schedule.LabScheduler;
import io.labloop.orchestrator.schedule.ScheduledWork;
import io.labloop.orchestrator.store.CampaignExport;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunLock;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign engine as the API sees it: one {@link CampaignEngine} per running campaign, all
 * on the daemon's one {@link Lab} and {@link Store}.
 *
 * <p>A submitted campaign is checked with the same {@link ConfigLoader} as
 * {@code labloop validate} (against the daemon's lab file, whatever its {@code lab:} says), its
 * text is kept in {@code DATA/campaigns/NAME.yaml} with a small record of who submitted it and
 * when ({@code NAME.json}); that folder is what the daemon resumes from at start. A campaign
 * with {@code schedule:} waits for the scheduler; the others start at once (a campaign whose
 * latest run is still RUNNING resumes it, as {@code labloop run} would).
 *
 * <p>API ids are run ids in their API spelling ({@link RunId#api()}, {@code silver~2}); a campaign waiting for its schedule has no run yet and is known by its
 * name. Audit records (who did what) are stored as events of kind {@code audit} whose message
 * starts with the token's name.
 */
public final class EngineCampaignService implements CampaignService, ScheduledWork {
  private static final Logger log = LoggerFactory.getLogger(EngineCampaignService.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  static final String AUDIT = "audit";

  /** What the daemon remembers of a submitted campaign (DATA/campaigns/NAME.json). */
  record Submission(String name, String fileName, String sha256, String submittedAt, String submittedBy, String schedule, boolean started) {}

  private final Store store;
  private final ConfigLoader loader;
  private final Supplier<Lab> lab;
  private final Path labFile;
  private final Path campaignDir;
  private final Path submissions;
  private final LabMetrics metrics;
  private final java.util.TimeZone zone;
  private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Map<String, CampaignEngine> engines = new ConcurrentHashMap<>();
  private final Map<String, CampaignConfig> configs = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<io.labloop.orchestrator.campaign.RunSummary>> completions = new ConcurrentHashMap<>();
  /** Runs as they were at start: a status read of a running campaign needs nothing else (see {@link #campaign}). */
  private final Map<String, RunRecord> startedRuns = new ConcurrentHashMap<>();
  /** The last counts of runs that ended while the daemon ran (the best result stays visible). */
  private final Map<String, Progress> finished = new ConcurrentHashMap<>();
  private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "labloop-daemon-events");
    t.setDaemon(true);
    return t;
  });
  private volatile LabScheduler scheduler;
  private final HealthChecks health = new HealthChecks();
  /** The data folder's lock of every campaign this daemon runs (see {@link RunLock}). */
  private final Map<String, RunLock> locks = new ConcurrentHashMap<>();
  private final Path dataDir;

  /**
   * @param lab the lab in force (it may be replaced by a reload between campaigns)
   * @param labFile the lab file every submitted campaign is checked against
   * @param campaignDir where relative paths inside submitted campaigns resolve
   * @param dataDir the daemon's data folder ({@code campaigns/} is made inside it)
   * @param zone the time zone {@code schedule:} expressions are read in
   */
  public EngineCampaignService(Store store, ConfigLoader loader, Supplier<Lab> lab, Path labFile, Path campaignDir,
      Path dataDir, LabMetrics metrics, java.util.TimeZone zone) {
    this.zone = zone;
    this.store = store;
    this.loader = loader;
    this.lab = lab;
    this.labFile = labFile;
    this.campaignDir = campaignDir;
    this.submissions = dataDir.resolve("campaigns");
    this.dataDir = dataDir;
    this.metrics = metrics;
    metrics.experimentsFrom(this::experimentCounts);
    metrics.queuesFrom(this::queueLengths);
  }

  /** The scheduler that plans {@code schedule:} starts (set once the daemon made it). */
  void useScheduler(LabScheduler scheduler) {
    this.scheduler = scheduler;
  }

  // =========================================================================== start-up

  /**
   * Resumes every campaign whose latest run is RUNNING and plans the start of every campaign
   * still waiting for its schedule.
   *
   * @return the ids of the runs resumed
   */
  public List<String> resumeAll() {
    List<String> resumed = new ArrayList<>();
    for (Submission s : submissionsOnDisk()) {
      try {
        if (!s.started() && s.schedule() != null) {
          planStart(s);
          continue;
        }
        Optional<RunRecord> latest = store.latestRun(s.name());
        if (latest.isPresent() && latest.get().status() == RunStatus.RUNNING) {
          CampaignConfig c = load(s);
          CampaignEngine engine = startEngine(c);
          resumed.add(engine.runId());
          audit(engine.runId(), Actor.SCHEDULER, "resumed the run after a daemon restart");
        }
      } catch (RuntimeException e) {
        log.error("campaign {} could not be resumed: {}", s.name(), e.getMessage(), e);
      }
    }
    return resumed;
  }

  // =========================================================================== CampaignService

  @Override
  public CampaignView submit(String fileName, String yaml, Actor who) {
    CampaignConfig c;
    try {
      c = loader.loadCampaign(fileName, yaml, campaignDir, Optional.of(labFile));
    } catch (ConfigException e) {
      List<String> lines = e.problems().stream().sorted().map(ConfigProblem::toString).toList();
      throw ApiProblem.invalid(fileName + " has " + lines.size() + (lines.size() == 1 ? " problem" : " problems"), lines);
    }
    synchronized (this) {
      if (running(c.name()).isPresent()) {
        throw ApiProblem.conflict("campaign " + c.name() + " is already running here (run " + id(running(c.name()).get().runId())
            + "); abort it first or give the new file another 'campaign:' name");
      }
      Submission s = new Submission(c.name(), fileName, c.sha256(), Instant.now().toString(), who.name(),
          c.schedule().orElse(null), c.schedule().isEmpty());
      if (s.schedule() != null) {
        CronSchedule.parse(s.schedule(), zone); // fails early with the reason
      }
      remember(s, yaml);
      if (s.schedule() != null) {
        Optional<Instant> at = planStart(s);
        log.info("audit: {} submitted {} ({}), starts {}", who.name(), c.name(), fileName, at.map(Instant::toString).orElse("never"));
        return scheduledView(s, at);
      }
      CampaignEngine engine = startEngine(c);
      audit(engine.runId(), who, "submitted " + fileName + " (sha256 " + c.sha256().substring(0, 12) + ")");
      return view(store.run(engine.runId()).orElseThrow());
    }
  }

  /**
   * Every run in the store, whoever started it (this daemon, {@code labloop run} on the same
   * data folder, another daemon on the same database), and the campaigns waiting for their
   * schedule; {@link CampaignView#runningHere()} tells which ones this daemon runs.
   */
  @Override
  public List<CampaignView> campaigns() {
    List<CampaignView> out = new ArrayList<>();
    for (Submission s : submissionsOnDisk()) {
      if (!s.started()) {
        out.add(scheduledView(s, scheduler == null ? Optional.empty() : scheduler.plannedStart(s.name())));
      }
    }
    for (RunRecord r : store.allRuns()) {
      RunRecord started = startedRuns.get(r.id());
      out.add(view(started != null && engines.containsKey(r.id()) ? started : r));
    }
    out.sort(Comparator.comparing((CampaignView v) -> v.submittedAt() == null ? "" : v.submittedAt()).reversed());
    return out;
  }

  @Override
  public CampaignView campaign(String id) {
    Optional<Submission> waiting = waitingSubmission(id);
    if (waiting.isPresent()) return scheduledView(waiting.get(), scheduler == null ? Optional.empty() : scheduler.plannedStart(id));
    // A running campaign's status comes from the engine's published progress: polling readers
    // then never queue on the store's connection, which the engine needs for every transition.
    String runId = RunId.fromApi(id).map(RunId::toString).orElse(id);
    RunRecord started = startedRuns.get(runId);
    if (started != null && engines.containsKey(runId)) return view(started);
    return view(run(id));
  }

  @Override
  public List<ExperimentView> experiments(String id) {
    if (waitingSubmission(id).isPresent()) return List.of();
    return store.experiments(run(id).id()).stream().map(EngineCampaignService::view).toList();
  }

  @Override
  public List<ObservationView> observations(String id) {
    if (waitingSubmission(id).isPresent()) return List.of();
    return store.observations(run(id).id()).stream().map(o -> new ObservationView(o.seq(),
        o.observation().status().name(), o.requested().values(), o.observation().point().values(),
        o.observation().values(), o.recordedAt().toString())).toList();
  }

  @Override
  public List<EventView> events(String id) {
    if (waitingSubmission(id).isPresent()) return List.of();
    return store.events(run(id).id()).stream().map(EngineCampaignService::view).toList();
  }

  @Override
  public List<ApprovalView> approvals(String id) {
    if (waitingSubmission(id).isPresent()) return List.of();
    RunRecord r = run(id);
    CampaignEngine engine = engines.get(r.id());
    if (engine == null) return List.of();
    List<ExperimentRecord> waiting = await(engine.awaitingApproval(), "list approvals");
    Map<Integer, Suggestion> decisions = store.decisions(r.id());
    return waiting.stream().map(e -> {
      Suggestion s = decisions.get(e.seq());
      return new ApprovalView(e.seq(), e.requested().values(), s == null ? "" : s.planner(), s == null ? "" : s.reason(),
          s == null || Double.isNaN(s.acquisition()) ? null : s.acquisition(),
          s == null ? Map.of() : s.predictedMean(), s == null ? Map.of() : s.predictedSd(), e.plannedAt().toString());
    }).toList();
  }

  @Override
  public String export(String id, ExportFormat format) {
    RunRecord r = run(id);
    StringWriter out = new StringWriter();
    try {
      CampaignExport e = CampaignExport.of(store, r);
      if (format == ExportFormat.CSV) e.csv(out);
      else e.jsonl(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public List<InstrumentView> instruments() {
    Lab l = lab.get();
    Map<String, Integer> queued = queueLengths();
    List<InstrumentView> out = new ArrayList<>();
    l.statuses().forEach((name, st) -> out.add(view(name, l.instrumentConfig(name).driver(), st, l.busy(name), queued.getOrDefault(name, 0))));
    return out;
  }

  @Override
  public CampaignView pause(String id, Actor who) {
    RunRecord r = run(id);
    CampaignEngine e = engine(r);
    await(e.pause(), "pause");
    audit(r.id(), who, "paused the campaign");
    return view(store.run(r.id()).orElseThrow());
  }

  @Override
  public CampaignView resume(String id, Actor who) {
    RunRecord r = run(id);
    CampaignEngine e = engine(r);
    if (e.progress() != null && e.progress().state() != Progress.State.PAUSED) {
      throw ApiProblem.conflict("campaign " + id + " is not paused");
    }
    await(e.resume(), "resume");
    audit(r.id(), who, "resumed the campaign");
    return view(store.run(r.id()).orElseThrow());
  }

  @Override
  public CampaignView abort(String id, Actor who) {
    Optional<Submission> waiting = waitingSubmission(id);
    if (waiting.isPresent()) {
      if (scheduler != null) scheduler.cancelStart(id);
      forget(waiting.get());
      log.info("audit: {} cancelled the planned start of {}", who.name(), id);
      return new CampaignView(id, id, "ABORTED", "AUTO", waiting.get().schedule(), 0, 0, 0, null, waiting.get().submittedAt(),
          null, Instant.now().toString(), "cancelled before its start by " + who.name(), null, 0, false);
    }
    RunRecord r = run(id);
    CampaignEngine e = engine(r);
    audit(r.id(), who, "aborted the campaign");
    await(e.abort("aborted by " + who.name()), "abort");
    awaitEnd(r.id());
    return view(store.run(r.id()).orElseThrow());
  }

  @Override
  public void emergencyStop(Actor who) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Map.Entry<String, CampaignEngine> e : engines.entrySet()) {
      audit(e.getKey(), who, "pressed the emergency stop");
      stops.add(e.getValue().abort("emergency stop by " + who.name()));
    }
    for (CompletableFuture<Void> f : stops) await(f, "emergency stop");
    List.copyOf(completions.keySet()).forEach(this::awaitEnd);
    log.warn("audit: {} pressed the emergency stop ({} campaigns aborted)", who.name(), stops.size());
  }

  @Override
  public void approve(String id, int seq, Actor who) {
    RunRecord r = run(id);
    await(engine(r).approve(seq), "approve");
    audit(r.id(), who, "approved experiment #" + seq);
  }

  @Override
  public ExperimentView suggest(String id, Map<String, Object> point, Actor who) {
    RunRecord r = run(id);
    CampaignEngine engine = engine(r);
    CampaignConfig c = configs.get(r.id());
    Point p;
    try {
      p = HandChosen.point(c.space(), point);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("the point is not one the campaign may run", List.of(e.getMessage().split("\n")));
    }
    ExperimentRecord planned = await(engine.suggestByHand(p, who.name()), "suggest");
    audit(r.id(), who, "chose experiment #" + planned.seq() + ": " + p);
    return view(planned);
  }

  @Override
  public void reject(String id, int seq, String reason, Actor who) {
    RunRecord r = run(id);
    await(engine(r).reject(seq, reason), "reject");
    audit(r.id(), who, "rejected experiment #" + seq + ": " + reason);
  }

  @Override
  public ExperimentView release(String id, int seq, ReleaseRequest request, Actor who) {
    RunRecord r = run(id);
    String note = who.name() + (request.reason().isEmpty() ? "" : ": " + request.reason());
    Release decision = switch (request.action()) {
      case RETRY -> new Release.Retry(note);
      case FAIL -> new Release.Fail(note);
      case MEASURED -> new Release.Measured(checkedValues(r, request.values()), note);
    };
    CampaignEngine engine = engines.get(r.id());
    ExperimentRecord after;
    if (engine != null) {
      after = await(engine.release(seq, decision), "release");
    } else if (r.status() == RunStatus.RUNNING) {
      throw ApiProblem.conflict("campaign " + id + " is unfinished but this daemon does not run it (a 'labloop run' may be running it);"
          + " stop that run, then submit its campaign file here ('labloop submit FILE'): the daemon resumes the run, and #" + seq
          + " can be released");
    } else {
      try {
        after = HeldExperiments.releaseEnded(store, r, objectives(r), seq, decision);
      } catch (IllegalStateException e) {
        throw ApiProblem.conflict(e.getMessage());
      }
    }
    String what = switch (request.action()) {
      case RETRY -> "released experiment #" + seq + " for a retry as #" + after.seq();
      case FAIL -> "released experiment #" + seq + " as failed";
      case MEASURED -> "released experiment #" + seq + " with values measured by hand " + after.values();
    };
    audit(r.id(), who, what + (request.reason().isEmpty() ? "" : " (" + request.reason() + ")"));
    return view(after);
  }

  /** The objective names of a run's campaign: from the running configuration, else from the text stored with the run. */
  private List<String> objectives(RunRecord r) {
    CampaignConfig c = configs.get(r.id());
    if (c == null) {
      String text = store.campaignText(r.campaignSha256())
          .orElseThrow(() -> ApiProblem.conflict("the campaign text of run " + id(r.id()) + " is not in the store"));
      try {
        c = loader.loadCampaign(r.campaign() + ".yaml", text, campaignDir, Optional.of(labFile));
      } catch (ConfigException e) {
        throw ApiProblem.conflict("the campaign of run " + id(r.id()) + " no longer loads against the lab file, so its objectives"
            + " cannot be checked: " + e.problems().stream().map(ConfigProblem::toString).findFirst().orElse(""));
      }
    }
    return c.objectives().stream().map(o -> o.objective().name()).toList();
  }

  private Map<String, Double> checkedValues(RunRecord r, Map<String, Double> values) {
    try {
      return HeldExperiments.checkedValues(values, objectives(r));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(e.getMessage(), List.of());
    }
  }

  @Override
  public Subscription subscribe(Consumer<EventView> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // =========================================================================== ScheduledWork

  @Override
  public void startCampaign(String name) {
    synchronized (this) {
      Submission s = submissionsOnDisk().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
      if (s == null || s.started()) return;
      CampaignEngine engine = startEngine(load(s));
      remember(new Submission(s.name(), s.fileName(), s.sha256(), s.submittedAt(), s.submittedBy(), s.schedule(), true), null);
      audit(engine.runId(), new Actor(s.submittedBy()), "submitted " + s.fileName() + "; started on schedule " + s.schedule());
    }
  }

  /**
   * The periodic health check (see {@link HealthChecks}): probes idle instruments that have a
   * {@code health:} command, records the probes in the metrics, raises an event when an
   * instrument goes OFFLINE or ERROR and when it is ONLINE again, and, as before, a warning for
   * every instrument that is not ONLINE.
   */
  @Override
  public void checkHealth() {
    HealthChecks.Report report = health.check(lab.get());
    for (HealthChecks.Probe p : report.probes()) {
      metrics.healthProbe(p.instrument(), p.outcome().name().toLowerCase(java.util.Locale.ROOT), p.took());
      if (p.outcome() == HealthChecks.Outcome.FAILED) log.debug("{}", p.message());
    }
    for (HealthChecks.Change c : report.changes()) {
      InstrumentStatus now = c.now();
      metrics.instrumentStateChanged(c.instrument(), now.state().name());
      String message = c.online() ? c.instrument() + " is ONLINE again (was " + c.from() + ")"
          : c.instrument() + " went " + now.state() + (now.reason().isEmpty() ? "" : ": " + now.reason());
      if (c.online()) log.info("health: {}", message);
      else log.warn("health: {}", message);
      publish(new EventView(null, 0, Instant.now().toString(), c.online() ? "instrument-online" : "instrument-offline",
          c.online() ? "info" : "alert", null, c.instrument(), null, message));
    }
    report.statuses().forEach((name, st) -> {
      if (st.state() != InstrumentStatus.State.ONLINE) {
        publish(new EventView(null, 0, Instant.now().toString(), "health", "warning", null, name, null,
            name + " is " + st.state() + (st.reason().isEmpty() ? "" : ": " + st.reason())));
      }
    });
  }

  @Override
  public void calibrate(String instrument, String command) {
    Lab l = lab.get();
    var lease = l.lease(instrument, "calibration");
    try (var held = lease.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      log.debug("calibration {}.{} holds {}", instrument, command, held.instrument());
      long t0 = System.nanoTime();
      l.instrument(instrument).execute(new io.labloop.drivers.Command(command, Map.of()))
          .get(l.instrumentConfig(instrument).commands().get(command).timeout().toMillis(), TimeUnit.MILLISECONDS);
      metrics.stepFinished(instrument, command, Duration.ofNanos(System.nanoTime() - t0), "done");
      publish(new EventView(null, 0, Instant.now().toString(), "calibration", "info", null, instrument, null,
          instrument + "." + command + " done"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      lease.cancel(false);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      metrics.instrumentError(instrument, Lab.instrumentError(cause).map(x -> x.getClass().getSimpleName()).orElse("other"));
      publish(new EventView(null, 0, Instant.now().toString(), "calibration", "alert", null, instrument, null,
          instrument + "." + command + " failed: " + cause.getMessage()));
    }
  }

  // =========================================================================== shutdown

  /**
   * SIGTERM: every engine is paused (running steps finish, none start) and this waits up to
   * {@code grace} for the steps that were running to be journaled; the runs stay RUNNING in
   * the store, so the next start resumes them.
   */
  public void stopGracefully(Duration grace) {
    engines.values().forEach(CampaignEngine::pause);
    long deadline = System.nanoTime() + grace.toNanos();
    for (String runId : engines.keySet()) {
      while (System.nanoTime() < deadline && store.steps(runId).stream().anyMatch(s -> s.status() == StepStatus.STARTED)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    background.shutdown();
    // the runs stay RUNNING for the next start, which may be in this same process (tests, an embedding)
    List.copyOf(locks.keySet()).forEach(runId -> Optional.ofNullable(locks.remove(runId)).ifPresent(RunLock::close));
  }

  /** A lab-wide event (a reload) for the event stream and the log; it belongs to no campaign's store. */
  void announce(String kind, String severity, Actor who, String message) {
    publish(new EventView(null, 0, Instant.now().toString(), kind, severity, who == null ? null : who.name(), null, null,
        who == null ? message : who.name() + ": " + message));
  }

  /**
   * Every way a running campaign would not fit the lab file as it is now on disk (a command or
   * instrument gone, a limit narrower than the campaign's space), as the loader's
   * file:line:column messages of the campaign file. Empty: the reload may go ahead.
   */
  List<String> problemsWithLabFile() {
    List<String> problems = new ArrayList<>();
    for (String runId : List.copyOf(engines.keySet())) {
      CampaignConfig c = configs.get(runId);
      if (c == null) continue;
      try {
        loader.loadCampaign(c.file().toString(), c.text(), campaignDir, Optional.of(labFile));
      } catch (ConfigException e) {
        e.problems().stream().sorted().map(p -> "running campaign " + c.name() + ": " + p).forEach(problems::add);
      }
    }
    return problems;
  }

  /** Campaigns running now, for the reload to know whether the lab may be swapped. */
  int runningCount() {
    return engines.size();
  }

  // =========================================================================== internals

  private synchronized CampaignEngine startEngine(CampaignConfig c) {
    RunLock runLock = RunLock.tryAcquire(dataDir, c.name()).orElseThrow(() -> ApiProblem.conflict("campaign " + c.name()
        + " is running in another process on this data folder (a 'labloop run'?); stop it there, then submit it here to continue"));
    try {
      return startEngine(c, runLock);
    } catch (RuntimeException e) {
      runLock.close();
      throw e;
    }
  }

  private CampaignEngine startEngine(CampaignConfig c, RunLock runLock) {
    PlannerSpec spec = c.planner();
    CampaignEngine engine = CampaignEngine.builder()
        .campaign(c)
        .lab(lab.get())
        .store(store)
        .planner(seed -> new TimedPlanner(Planners.create(new PlannerSpec(spec.type(), seed, spec.options())), metrics))
        .build();
    engine.addListener(new Relay());
    CompletableFuture<io.labloop.orchestrator.campaign.RunSummary> done;
    try {
      done = engine.start();
    } catch (CampaignProblem e) {
      throw ApiProblem.conflict(c.name() + ": " + e.getMessage());
    }
    String runId = engine.runId();
    engines.put(runId, engine);
    configs.put(runId, c);
    completions.put(runId, done);
    store.run(runId).ifPresent(r -> startedRuns.put(runId, r));
    locks.put(runId, runLock);
    done.whenComplete((summary, failure) -> {
      Optional.ofNullable(locks.remove(runId)).ifPresent(RunLock::close);
      Progress last = engine.progress();
      if (last != null) finished.put(runId, last);
      engines.remove(runId);
      completions.remove(runId);
      startedRuns.remove(runId);
      if (failure != null) log.error("campaign {} failed: {}", runId, failure.getMessage(), failure);
      else log.info("campaign {} ended {}: {}", runId, summary.status(), summary.stopReason());
    });
    log.info("campaign {} running (run {})", c.name(), runId);
    return engine;
  }

  private CampaignConfig load(Submission s) {
    try {
      String text = Files.readString(yamlFile(s.name()), StandardCharsets.UTF_8);
      return loader.loadCampaign(s.fileName(), text, campaignDir, Optional.of(labFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the submitted campaign " + s.name(), e);
    } catch (ConfigException e) {
      throw new IllegalStateException(s.fileName() + " no longer fits the lab: "
          + e.problems().stream().map(ConfigProblem::toString).toList(), e);
    }
  }

  private Optional<Instant> planStart(Submission s) {
    if (scheduler == null) throw new IllegalStateException("no scheduler");
    return scheduler.planStart(s.name(), CronSchedule.parse(s.schedule(), zone),
        Instant.parse(s.submittedAt()));
  }

  private void remember(Submission s, String yaml) {
    try {
      Files.createDirectories(submissions);
      if (yaml != null) Files.writeString(yamlFile(s.name()), yaml, StandardCharsets.UTF_8);
      Path tmp = submissions.resolve(safe(s.name()) + ".json.tmp");
      json.writeValue(tmp.toFile(), s);
      Files.move(tmp, submissions.resolve(safe(s.name()) + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the submission of " + s.name(), e);
    }
  }

  private void forget(Submission s) {
    try {
      Files.deleteIfExists(submissions.resolve(safe(s.name()) + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Submission> submissionsOnDisk() {
    if (!Files.isDirectory(submissions)) return List.of();
    List<Submission> out = new ArrayList<>();
    try (var files = Files.list(submissions)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(json.readValue(p.toFile(), Submission.class));
        } catch (IOException e) {
          log.warn("ignoring unreadable submission record {}: {}", p, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Path yamlFile(String name) {
    return submissions.resolve(safe(name) + ".yaml");
  }

  private static String safe(String name) {
    return io.labloop.orchestrator.config.CampaignName.fileName(name);
  }

  private Optional<Submission> waitingSubmission(String id) {
    if (RunId.fromApi(id).isPresent()) return Optional.empty();
    return submissionsOnDisk().stream().filter(s -> s.name().equals(id) && !s.started()).findFirst();
  }

  private Optional<CampaignEngine> running(String campaign) {
    return engines.entrySet().stream().filter(e -> configs.get(e.getKey()).name().equals(campaign)).map(Map.Entry::getValue).findFirst();
  }

  private RunRecord run(String id) {
    return RunId.fromApi(id).flatMap(runId -> store.run(runId.toString())).orElseThrow(() -> ApiProblem.notFound("no campaign run '" + id + "' (list them with GET /api/campaigns)"));
  }

  private CampaignEngine engine(RunRecord r) {
    CampaignEngine e = engines.get(r.id());
    if (e == null) throw ApiProblem.conflict("campaign " + id(r.id()) + " is " + r.status() + " and not running in this daemon");
    return e;
  }

  /** Waits for an aborted run to end (its experiments in flight failed, the run stored ABORTED). */
  private void awaitEnd(String runId) {
    CompletableFuture<?> f = completions.get(runId);
    if (f == null) return;
    try {
      f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("run {} did not end cleanly after the abort: {}", runId, e.toString());
    }
  }

  private static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not finish within " + CALL_TIMEOUT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IllegalStateException || c instanceof IllegalArgumentException) {
        throw ApiProblem.conflict(c.getMessage());
      }
      if (c instanceof RuntimeException r) throw r;
      throw new IllegalStateException(c);
    }
  }

  private void audit(String runId, Actor who, String what) {
    EventRecord e = store.addEvent(runId, AUDIT, "info", Optional.empty(), OptionalInt.empty(), who.name() + ": " + what);
    log.info("audit: {} {} ({})", who.name(), what, runId);
    publish(view(e));
  }

  private void publish(EventView e) {
    for (Consumer<EventView> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ex) {
        log.warn("event listener failed: {}", ex.toString());
      }
    }
  }

  /** Relays an engine's news to the API's subscribers, the log and the metrics. */
  private final class Relay implements EngineListener {
    @Override
    public void onEvent(EventRecord event) {
      publish(view(event));
    }

    @Override
    public void onExperiment(ExperimentRecord x) {
      log.info("campaign {} experiment #{} {}{}", x.runId(), x.seq(), x.status(), x.cause().map(c -> ": " + c).orElse(""));
      metrics.experimentChanged(x.status().name());
      publish(new EventView(id(x.runId()), 0, Instant.now().toString(), "experiment", "info", null, null, x.seq(),
          "experiment #" + x.seq() + " " + x.status().name().toLowerCase()));
      if (x.status().finished()) background.execute(() -> stepMetrics(x.runId(), x.seq()));
    }
  }

  /** Step durations and instrument errors of a finished experiment, read from the journal. */
  private void stepMetrics(String runId, int seq) {
    try {
      for (StepRecord s : store.steps(runId)) {
        if (s.seq() != seq || s.startedAt().isEmpty() || s.endedAt().isEmpty()) continue;
        metrics.stepFinished(s.instrument(), s.command(), Duration.between(s.startedAt().get(), s.endedAt().get()),
            s.status().name().toLowerCase());
        s.errorKind().ifPresent(kind -> metrics.instrumentError(s.instrument(), kind));
      }
    } catch (RuntimeException e) {
      log.debug("step metrics of {} #{}: {}", runId, seq, e.toString());
    }
  }

  private Map<String, Map<String, Integer>> experimentCounts() {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    for (String runId : engines.keySet()) {
      Map<String, Integer> byState = new LinkedHashMap<>();
      for (ExperimentRecord e : store.experiments(runId)) byState.merge(e.status().name(), 1, Integer::sum);
      out.put(id(runId), byState);
    }
    return out;
  }

  /** Experiments in flight whose next instrument is busy, counted per the workflow's first instrument. */
  private Map<String, Integer> queueLengths() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Map.Entry<String, CampaignEngine> e : engines.entrySet()) {
      Progress p = e.getValue().progress();
      CampaignConfig c = configs.get(e.getKey());
      if (p == null || c == null || c.workflow().isEmpty()) continue;
      String first = c.workflow().get(0).instrument();
      int waiting = Math.max(0, p.inFlight() - lab.get().busy(first));
      out.merge(first, waiting, Integer::sum);
    }
    return out;
  }

  // =========================================================================== views

  static String id(String runId) {
    return RunId.of(runId).api();
  }

  private CampaignView view(RunRecord r) {
    CampaignEngine engine = engines.get(r.id());
    CampaignConfig c = configs.get(r.id());
    Progress p = engine == null ? finished.get(r.id()) : engine.progress();
    String status = switch (r.status()) {
      case COMPLETED -> "DONE";
      case ABORTED -> "ABORTED";
      case RUNNING -> engine == null ? "STOPPED" : p != null && p.state() == Progress.State.PAUSED ? "PAUSED" : "RUNNING";
    };
    int reached;
    int done;
    int failed;
    int held;
    Map<String, Object> best = null;
    if (p != null) {
      reached = p.counted();
      done = p.done();
      failed = p.failed();
      held = p.held();
      if (p.best().isPresent()) {
        best = new LinkedHashMap<>(p.best().get().point().values());
        best.putAll(p.best().get().values());
        best.put("seq", p.best().get().seq());
      }
    } else {
      List<ExperimentRecord> xs = store.experiments(r.id());
      reached = (int) xs.stream().filter(ExperimentRecord::reached).count();
      done = (int) xs.stream().filter(x -> x.status() == ExperimentStatus.DONE).count();
      failed = (int) xs.stream().filter(x -> x.status().finished() && x.status() != ExperimentStatus.DONE).count();
      held = (int) xs.stream().filter(x -> x.status() == ExperimentStatus.HELD).count();
    }
    Integer budget = c == null ? null : c.budget().experiments().isPresent() ? c.budget().experiments().getAsInt() : null;
    return new CampaignView(id(r.id()), r.campaign(), status, c == null ? null : c.approval().name(),
        c == null ? null : c.schedule().orElse(null), reached, done, failed, budget, r.startedAt().toString(),
        r.startedAt().toString(), r.endedAt().map(Instant::toString).orElse(null), r.stopReason().orElse(null), best, held, engine != null);
  }

  private static CampaignView scheduledView(Submission s, Optional<Instant> at) {
    return new CampaignView(s.name(), s.name(), "SCHEDULED", null, s.schedule(), 0, 0, 0, null, s.submittedAt(),
        null, null, at.map(t -> "starts " + t).orElse("the schedule never matches again"), null, 0, false);
  }

  private static ExperimentView view(ExperimentRecord e) {
    return new ExperimentView(e.seq(), e.status() == ExperimentStatus.AWAITING_APPROVAL ? "WAITING_APPROVAL" : e.status().name(),
        e.requested().values(), e.achieved().map(p -> p.values()).orElse(null), e.values().isEmpty() ? null : e.values(),
        e.cause().orElse(null), e.plannedAt().toString(), e.startedAt().map(Instant::toString).orElse(null),
        e.endedAt().map(Instant::toString).orElse(null), e.retryOf().isPresent() ? e.retryOf().getAsInt() : null);
  }

  static EventView view(EventRecord e) {
    String actor = null;
    String message = e.message();
    if (AUDIT.equals(e.kind())) {
      int colon = message.indexOf(": ");
      if (colon > 0) actor = message.substring(0, colon);
    }
    return new EventView(id(e.runId()), e.ordinal(), e.at().toString(), e.kind(), e.severity().toUpperCase(java.util.Locale.ROOT),
        actor, e.instrument().orElse(null), e.seq().isPresent() ? e.seq().getAsInt() : null, message);
  }

  private static InstrumentView view(String name, String driver, InstrumentStatus st, int busy, int queued) {
    return new InstrumentView(name, driver, st.state().name(), st.reason(), st.lastError(), st.since().toString(), busy, queued);
  }
}
