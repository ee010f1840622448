package io.labloop.orchestrator.daemon;

import static io.labloop.orchestrator.daemon.EngineCalls.CALL_TIMEOUT;
import static io.labloop.orchestrator.daemon.EngineCalls.await;

import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.AgentView;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignService;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.ExportFormat;
import io.labloop.orchestrator.api.InstrumentDetail;
import io.labloop.orchestrator.api.InstrumentView;
import io.labloop.orchestrator.api.ObservationView;
import io.labloop.orchestrator.api.ReleaseRequest;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.HandChosen;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.daemon.RunningCampaigns.Running;
import io.labloop.orchestrator.daemon.Submissions.Submission;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.schedule.CronSchedule;
import io.labloop.orchestrator.schedule.LabScheduler;
import io.labloop.orchestrator.schedule.ScheduledWork;
import io.labloop.orchestrator.store.CampaignExport;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunClaim;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign engine as the API sees it: one {@link CampaignEngine} per running campaign, all on
 * the daemon's one {@link Lab} and {@link Store}. This class decides; its helpers keep:
 *
 * <ul>
 *   <li>{@link Submissions}: the submissions folder the daemon resumes from;
 *   <li>{@link RunningCampaigns}: one {@link Running} record per run this daemon runs;
 *   <li>{@link ApiViews}: the records as the API shows them; {@link RunViews}: which daemon drives
 *       each run, beside its record;
 *   <li>{@link AuditTrail} and {@link EventFeed}: who did what, and the live event stream;
 *   <li>{@link LabUpkeep}: health checks and calibrations; {@link CampaignMetrics}: the metrics;
 *   <li>{@link ReloadChecks}: whether the running campaigns allow a reload of the lab file;
 *   <li>{@link CampaignFiles}: campaign texts read against the daemon's lab file; {@link
 *       EngineStarts}: one engine started, with its run lock and the relay of its news; {@link
 *       HeldReleases}: a person's release of a held experiment, wherever its run is.
 * </ul>
 *
 * <p>A submitted campaign is checked with the same {@link ConfigLoader} as {@code labloop validate}
 * (against the daemon's lab file, whatever its {@code lab:} says) and kept in the submissions
 * folder. A campaign with {@code schedule:} waits for the scheduler; the others start at once (a
 * campaign whose latest run is still RUNNING resumes it, as {@code labloop run} would). API ids are
 * run ids in their API spelling ({@link RunId#api()}, {@code silver~2}); a campaign waiting for its
 * schedule has no run yet and is known by its name.
 *
 * <p>Threads: the API's request threads and the scheduler's thread call in at any time. Starts are
 * serialised on {@code this} (two submissions of one campaign must not both start it); everything
 * else goes to the engine, which does its work on its own thread, and waits at most {@link
 * EngineCalls#CALL_TIMEOUT} for the answer.
 */
public final class EngineCampaignService implements CampaignService, ScheduledWork {
  private static final Logger log = LoggerFactory.getLogger(EngineCampaignService.class);

  private final Store store;
  private final Supplier<Lab> lab;
  private final TimeZone zone;
  private final Submissions submissions;
  private final RunningCampaigns running = new RunningCampaigns();
  private final EventFeed feed = new EventFeed();
  private final AuditTrail audit;
  private final LabUpkeep upkeep;
  private final CampaignMetrics campaignMetrics;
  private final ReloadChecks reloadChecks;
  private final InstrumentDetails instrumentDetails;
  private final AgentWatch agentWatch;
  private final CampaignFiles files;
  private final EngineStarts starts;
  private final HeldReleases releases;
  private final RunViews views;
  private final RunOwnership ownership;
  private final String daemonName;
  private volatile LabScheduler scheduler;

  /**
   * @param lab the lab in force (it may be replaced by a reload between campaigns)
   * @param labFile the lab file every submitted campaign is checked against
   * @param campaignDir where relative paths inside submitted campaigns resolve
   * @param dataDir the daemon's data folder ({@code campaigns/} is made inside it)
   * @param zone the time zone {@code schedule:} expressions are read in
   * @param ownership who may drive which campaign (file locks, or advisory locks on PostgreSQL)
   * @param daemonName what the store records as the driver of the runs this daemon drives
   */
  public EngineCampaignService(
      Store store,
      ConfigLoader loader,
      Supplier<Lab> lab,
      Path labFile,
      Path campaignDir,
      Path dataDir,
      LabMetrics metrics,
      TimeZone zone,
      RunOwnership ownership,
      String daemonName) {
    this.store = store;
    this.ownership = ownership;
    this.daemonName = daemonName;
    this.lab = lab;
    this.zone = zone;
    this.submissions = new Submissions(dataDir.resolve("campaigns"));
    this.audit = new AuditTrail(store, feed);
    LabEventsInRuns inRuns = new LabEventsInRuns(store, running);
    this.upkeep = new LabUpkeep(lab, metrics, feed, CALL_TIMEOUT, store, inRuns);
    this.campaignMetrics = new CampaignMetrics(store, lab, metrics, running);
    this.reloadChecks = new ReloadChecks(loader, labFile, campaignDir, running);
    this.instrumentDetails = new InstrumentDetails(lab, store, this::instruments);
    feed.subscribe(instrumentDetails::onEvent);
    this.agentWatch = new AgentWatch(lab, feed, inRuns, metrics);
    agentWatch.attach(lab.get());
    this.files = new CampaignFiles(loader, labFile, campaignDir, submissions, store);
    this.starts =
        new EngineStarts(
            store, lab, ownership, daemonName, metrics, running, feed, campaignMetrics);
    this.releases = new HeldReleases(store, running, files, audit);
    this.views = new RunViews(store, running, ownership, daemonName);
  }

  /** The scheduler that plans {@code schedule:} starts (set once the daemon made it). */
  void useScheduler(LabScheduler scheduler) {
    this.scheduler = scheduler;
  }

  // =========================================================================== start-up and
  // shutdown

  /**
   * Resumes every campaign whose latest run is RUNNING and plans the start of every campaign still
   * waiting for its schedule.
   *
   * @return the ids of the runs resumed
   */
  public List<String> resumeAll() {
    List<String> resumed = new ArrayList<>();
    for (Submission s : submissions.all()) {
      try {
        if (!s.started() && s.schedule() != null) {
          planStart(s);
          continue;
        }
        Optional<RunRecord> latest = store.latestRun(s.name());
        if (latest.isPresent() && latest.get().status() == RunStatus.RUNNING) {
          if (ownership.shared() && !ownership.drivenNow(List.of(s.name())).isEmpty()) {
            log.info(
                "campaign {}: run {} is driven by {}; this daemon stands by",
                s.name(),
                latest.get().id(),
                store.drivers().getOrDefault(latest.get().id(), "another process"));
            continue;
          }
          CampaignEngine engine = startEngine(files.kept(s));
          resumed.add(engine.runId());
          audit.record(engine.runId(), Actor.SCHEDULER, "resumed the run after a daemon restart");
        }
      } catch (RuntimeException e) {
        log.error("campaign {} could not be resumed: {}", s.name(), e.getMessage(), e);
      }
    }
    return resumed;
  }

  /**
   * SIGTERM: every engine shuts down as on Ctrl-C ({@link CampaignEngine#shutdown}: no new step
   * starts, the steps that were running are journaled as they answer, up to {@code grace}) and this
   * waits for all of them together, woken by the last one to stop rather than polling the store;
   * the runs stay RUNNING in the store, so the next start resumes them.
   */
  public void stopGracefully(Duration grace) {
    CompletableFuture<?>[] stopped =
        running.all().stream()
            .map(r -> r.engine().shutdown(grace))
            .toArray(CompletableFuture[]::new);
    try {
      // each engine gives up on its own after the grace; the extra second is for its last journal
      // writes
      CompletableFuture.allOf(stopped).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("not every campaign stopped within the grace time: {}", e.toString());
    }
    campaignMetrics.stop();
    // the runs stay RUNNING for the next start, which may be in this same process (tests, an
    // embedding)
    running.releaseLocks();
  }

  // =========================================================================== CampaignService:
  // reading

  @Override
  public CampaignView submit(String fileName, String yaml, Actor who) {
    CampaignConfig c = files.submitted(fileName, yaml);
    synchronized (this) {
      Optional<Running> already = running.ofCampaign(c.name());
      if (already.isPresent()) {
        throw ApiProblem.conflict(
            "campaign "
                + c.name()
                + " is already running here (run "
                + ApiViews.id(already.get().runId())
                + "); abort it first or give the new file another 'campaign:' name");
      }
      Submission s =
          new Submission(
              c.name(),
              fileName,
              c.sha256(),
              Instant.now().toString(),
              who.name(),
              c.schedule().orElse(null),
              c.schedule().isEmpty());
      if (s.schedule() != null) {
        CronSchedule.parse(s.schedule(), zone); // fails early with the reason
      }
      submissions.remember(s, yaml);
      if (s.schedule() != null) {
        Optional<Instant> at = planStart(s);
        audit.logOnly(
            who,
            "submitted "
                + c.name()
                + " ("
                + fileName
                + "), starts "
                + at.map(Instant::toString).orElse("never"));
        return ApiViews.scheduled(s, at);
      }
      CampaignEngine engine = startEngine(c);
      audit.record(
          engine.runId(),
          who,
          "submitted " + fileName + " (sha256 " + c.sha256().substring(0, 12) + ")");
      return view(store.run(engine.runId()).orElseThrow());
    }
  }

  /**
   * Every run in the store, whoever started it (this daemon, {@code labloop run} on the same data
   * folder, another daemon on the same database), and the campaigns waiting for their schedule;
   * {@link CampaignView#runningHere()} tells which ones this daemon runs.
   */
  @Override
  public List<CampaignView> campaigns() {
    List<CampaignView> out = new ArrayList<>();
    for (Submission s : submissions.all()) {
      if (!s.started()) out.add(ApiViews.scheduled(s, plannedStart(s.name())));
    }
    out.addAll(views.all());
    out.sort(
        Comparator.comparing((CampaignView v) -> v.submittedAt() == null ? "" : v.submittedAt())
            .reversed());
    return out;
  }

  @Override
  public CampaignView campaign(String id) {
    Optional<Submission> waiting = submissions.waiting(id);
    if (waiting.isPresent()) return ApiViews.scheduled(waiting.get(), plannedStart(id));
    // A running campaign's status comes from the engine's published progress: polling readers
    // then never queue on the store's connection, which the engine needs for every transition.
    Optional<Running> here = RunId.fromApi(id).flatMap(runId -> running.get(runId.toString()));
    return view(here.map(Running::started).orElseGet(() -> run(id)));
  }

  @Override
  public CampaignView campaign(String id, List<ExperimentRecord> stored) {
    if (submissions.waiting(id).isPresent()) return campaign(id);
    Optional<Running> here = RunId.fromApi(id).flatMap(runId -> running.get(runId.toString()));
    RunRecord r = here.map(Running::started).orElseGet(() -> run(id));
    return views.of(r, stored);
  }

  @Override
  public List<ExperimentView> experiments(String id) {
    if (submissions.waiting(id).isPresent()) return List.of();
    return store.experiments(run(id).id()).stream().map(ApiViews::experiment).toList();
  }

  @Override
  public List<ObservationView> observations(String id) {
    if (submissions.waiting(id).isPresent()) return List.of();
    return store.observations(run(id).id()).stream().map(ApiViews::observation).toList();
  }

  @Override
  public List<EventView> events(String id) {
    if (submissions.waiting(id).isPresent()) return List.of();
    return store.events(run(id).id()).stream().map(ApiViews::event).toList();
  }

  @Override
  public List<ApprovalView> approvals(String id) {
    if (submissions.waiting(id).isPresent()) return List.of();
    RunRecord r = run(id);
    Optional<Running> here = running.get(r.id());
    if (here.isEmpty()) return List.of();
    List<ExperimentRecord> waiting =
        await(here.get().engine().awaitingApproval(), "list approvals");
    Map<Integer, Suggestion> decisions =
        store.decisions(r.id(), waiting.stream().map(ExperimentRecord::seq).toList());
    return waiting.stream().map(e -> ApiViews.approval(e, decisions.get(e.seq()))).toList();
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
    Map<String, Integer> queued = campaignMetrics.queueLengths();
    List<InstrumentView> out = new ArrayList<>();
    l.statuses()
        .forEach(
            (name, st) ->
                out.add(
                    ApiViews.instrument(
                        name,
                        l.instrumentConfig(name).driver(),
                        st,
                        l.busy(name),
                        queued.getOrDefault(name, 0),
                        InstrumentAgent.agentOf(l.instrumentConfig(name)).orElse(null))));
    return out;
  }

  @Override
  public List<AgentView> agents() {
    return agentWatch.views();
  }

  /** A lab the daemon connected after a reload: its agents are watched from now on. */
  void watchAgents(Lab l) {
    agentWatch.attach(l);
  }

  @Override
  public InstrumentDetail instrument(String name) {
    return instrumentDetails.detail(name);
  }

  @Override
  public Subscription subscribe(Consumer<EventView> listener) {
    return feed.subscribe(listener);
  }

  // =========================================================================== CampaignService:
  // changing

  @Override
  public CampaignView pause(String id, Actor who) {
    RunRecord r = run(id);
    await(engine(r).pause(), "pause");
    audit.record(r.id(), who, "paused the campaign");
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
    audit.record(r.id(), who, "resumed the campaign");
    return view(store.run(r.id()).orElseThrow());
  }

  @Override
  public CampaignView abort(String id, Actor who) {
    Optional<Submission> waiting = submissions.waiting(id);
    if (waiting.isPresent()) {
      if (scheduler != null) scheduler.cancelStart(id);
      submissions.forget(waiting.get());
      audit.logOnly(who, "cancelled the planned start of " + id);
      return ApiViews.cancelled(waiting.get(), who.name());
    }
    RunRecord r = run(id);
    CampaignEngine e = engine(r);
    audit.record(r.id(), who, "aborted the campaign");
    await(e.abort("aborted by " + who.name()), "abort");
    running.awaitEnd(r.id(), CALL_TIMEOUT);
    return view(store.run(r.id()).orElseThrow());
  }

  @Override
  public void emergencyStop(Actor who) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    List<Running> all = List.copyOf(running.all());
    for (Running r : all) {
      audit.record(r.runId(), who, "pressed the emergency stop");
      stops.add(r.engine().abort("emergency stop by " + who.name()));
    }
    for (CompletableFuture<Void> f : stops) await(f, "emergency stop");
    all.forEach(r -> running.awaitEnd(r.runId(), CALL_TIMEOUT));
    audit.warn(who, "pressed the emergency stop (" + stops.size() + " campaigns aborted)");
  }

  @Override
  public void approve(String id, int seq, Actor who) {
    RunRecord r = run(id);
    await(engine(r).approve(seq), "approve");
    audit.record(r.id(), who, "approved experiment #" + seq);
  }

  @Override
  public ExperimentView suggest(String id, Map<String, Object> point, Actor who) {
    RunRecord r = run(id);
    CampaignEngine engine = engine(r);
    CampaignConfig c = running.config(r.id()).orElseThrow();
    Point p;
    try {
      p = HandChosen.point(c.space(), point);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(
          "the point is not one the campaign may run", List.of(e.getMessage().split("\n")));
    }
    ExperimentRecord planned = await(engine.suggestByHand(p, who.name()), "suggest");
    audit.record(r.id(), who, "chose experiment #" + planned.seq() + ": " + p);
    return ApiViews.experiment(planned);
  }

  @Override
  public void reject(String id, int seq, String reason, Actor who) {
    RunRecord r = run(id);
    await(engine(r).reject(seq, reason), "reject");
    audit.record(r.id(), who, "rejected experiment #" + seq + ": " + reason);
  }

  @Override
  public ExperimentView release(String id, int seq, ReleaseRequest request, Actor who) {
    return releases.release(id, run(id), seq, request, who);
  }

  // =========================================================================== ScheduledWork

  @Override
  public void startCampaign(String name) {
    synchronized (this) {
      Submission s = submissions.named(name).orElse(null);
      if (s == null || s.started()) return;
      CampaignEngine engine = startEngine(files.kept(s));
      submissions.remember(s.asStarted(), null);
      audit.record(
          engine.runId(),
          new Actor(s.submittedBy()),
          "submitted " + s.fileName() + "; started on schedule " + s.schedule());
    }
  }

  @Override
  public void checkHealth() {
    upkeep.checkHealth();
  }

  @Override
  public void calibrate(String instrument, String command) {
    upkeep.calibrate(instrument, command);
  }

  // =========================================================================== for the daemon's
  // reload

  /**
   * A lab-wide event (a reload) for the event stream and the log; it belongs to no campaign's
   * store.
   */
  void announce(EventKind kind, Severity severity, Actor who, String message) {
    audit.announce(kind, severity, who, message);
  }

  /** See {@link ReloadChecks#problemsWithLabFile()}. */
  List<String> problemsWithLabFile() {
    return reloadChecks.problemsWithLabFile();
  }

  /** Campaigns running now, for the reload to know whether the lab may be swapped. */
  int runningCount() {
    return reloadChecks.runningCount();
  }

  // =========================================================================== internals

  private synchronized CampaignEngine startEngine(CampaignConfig c) {
    return starts.start(c);
  }

  private Optional<Instant> planStart(Submission s) {
    if (scheduler == null) throw new IllegalStateException("no scheduler");
    return scheduler.planStart(
        s.name(), CronSchedule.parse(s.schedule(), zone), Instant.parse(s.submittedAt()));
  }

  private Optional<Instant> plannedStart(String name) {
    return scheduler == null ? Optional.empty() : scheduler.plannedStart(name);
  }

  private RunRecord run(String id) {
    return RunId.fromApi(id)
        .flatMap(runId -> store.run(runId.toString()))
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "no campaign run '" + id + "' (list them with GET /api/campaigns)"));
  }

  private CampaignEngine engine(RunRecord r) {
    return running
        .get(r.id())
        .map(Running::engine)
        .orElseThrow(
            () ->
                ApiProblem.conflict(
                    "campaign "
                        + ApiViews.id(r.id())
                        + " is "
                        + r.status()
                        + " and not running in this daemon"));
  }

  private CampaignView view(RunRecord r) {
    return views.of(r, null);
  }

  // =========================================================================== standby

  /**
   * The standby watcher of a shared (PostgreSQL) store, see {@link Takeover}; the daemon starts it
   * after its own campaigns resumed and closes it before they stop.
   */
  Takeover takeover() {
    return new Takeover(
        store,
        ownership,
        daemonName,
        running,
        files,
        this::startClaimed,
        e -> feed.publish(ApiViews.event(e)));
  }

  private synchronized CampaignEngine startClaimed(CampaignConfig c, RunClaim claim) {
    return starts.start(c, claim);
  }
}
