package io.labloop.orchestrator.daemon;

import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiServer;
import io.labloop.orchestrator.api.ReloadResult;
import io.labloop.orchestrator.api.Tokens;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.ConfigProblem;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.console.WebConsole;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.schedule.CronSchedule;
import io.labloop.orchestrator.schedule.JobStore;
import io.labloop.orchestrator.schedule.LabScheduler;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon, assembled here and nowhere else: store, lab (real, or the lab's virtual
 * instruments with {@code sim: true}), one engine per campaign behind {@link
 * EngineCampaignService}, the scheduler, the metrics and the API.
 *
 * <p>Start order follows what depends on what: the store and the lab first (a daemon that cannot
 * reach its instruments says so and exits), then campaigns are resumed, and only then does the API
 * open, so that nobody is told "not running" about a campaign that is about to resume. {@link
 * #close()} is the graceful stop (SIGTERM): the API closes, engines pause and their running steps
 * are journaled, then the scheduler, lab and store close.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /**
   * How often a daemon on a shared store looks for runs nobody drives: with the takeover's own
   * start (a second or two) well inside the 15 s a standby has.
   */
  private static final Duration TAKEOVER_EVERY = Duration.ofSeconds(2);

  private final DaemonConfig config;
  private final ConfigLoader loader;
  private final Store store;
  private final AtomicReference<Lab> lab = new AtomicReference<>();

  /**
   * The lab file as read (with the virtual lab, {@link Lab#config()} holds the endpoints it moved
   * to).
   */
  private final AtomicReference<LabConfig> labFile = new AtomicReference<>();

  private final AtomicReference<VirtualLabs.Running> virtualLab = new AtomicReference<>();
  private final EngineCampaignService campaigns;
  private final LabScheduler scheduler;
  private final ApiServer api;
  private final URI url;
  private final List<String> resumed;
  private final String name;
  private RunOwnership ownership;
  private Takeover takeover;
  private boolean closed;

  private Daemon(DaemonConfig config, Map<String, String> env, String version) {
    this.config = config;
    this.name = config.daemonName();
    this.loader = ConfigLoader.builder().environment(env).build();
    Path data = config.data();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + data, e);
    }
    TokenFile own = TokenFile.resolve(data, env);
    Tokens.Builder tokens = Tokens.builder().token(own.name(), own.token());
    config.tokens().forEach(tokens::digest);
    Tokens atStart = tokens.build(); // a name used twice fails the start, not every request
    boolean fromFile = env.get("LABLOOP_TOKEN") == null || env.get("LABLOOP_TOKEN").isBlank();
    java.util.function.Supplier<Tokens> accepted =
        fromFile ? new TokenRotation(data.resolve("token"), config.tokens()) : () -> atStart;

    LabConfig labConfig = loader.loadLab(config.lab());
    lab.set(connect(labConfig));
    labFile.set(labConfig);
    try {
      StoreLocation location =
          config
              .store()
              .map(s -> StoreLocation.jdbc(s.url(), s.user(), s.password(), data))
              .orElse(StoreLocation.sqlite(data));
      store = Store.open(location);
      ownership = RunOwnership.open(location);
      LabMetrics metrics = new LabMetrics();
      campaigns =
          new EngineCampaignService(
              store,
              loader,
              lab::get,
              config.lab(),
              config.campaignDir(),
              data,
              metrics,
              config.zone(),
              ownership,
              name);
      JobStore jobs =
          config
              .store()
              .filter(s -> s.url().startsWith("jdbc:postgresql:"))
              .<JobStore>map(s -> new JobStore.PostgreSql(s.url(), s.user(), s.password()))
              .orElse(new JobStore.InMemory());
      scheduler =
          LabScheduler.create(
              campaigns, jobs, Integer.toHexString(System.identityHashCode(this)), config.zone());
      campaigns.useScheduler(scheduler);
      scheduler.start();
      scheduler.healthChecks(config.healthEvery());
      for (DaemonConfig.Calibration c : config.calibrations()) {
        scheduler.calibration(
            c.instrument(), c.command(), CronSchedule.parse(c.cron(), config.zone()));
      }
      resumed = campaigns.resumeAll();
      if (ownership.shared()) {
        takeover = campaigns.takeover();
        takeover.watch(TAKEOVER_EVERY);
      }
      api =
          ApiServer.builder()
              .settings(
                  new ApiServer.Settings(
                      config.bind(), config.port(), config.tls(), config.maxBody(), version))
              .campaigns(campaigns)
              .reload(this::reload)
              .tokens(accepted)
              .extension(
                  new WebConsole(
                      campaigns,
                      store,
                      who -> accepted.get().authenticate(who),
                      config.campaignDir()))
              .metrics(metrics::scrape)
              .registry(metrics.registry())
              .build()
              .start();
    } catch (RuntimeException e) {
      if (takeover != null) takeover.close();
      if (ownership != null) ownership.close();
      closeLab();
      throw e;
    }
    String host =
        config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "127.0.0.1" : config.bind();
    url =
        URI.create(
            (config.tls().isPresent() ? "https" : "http")
                + "://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + api.port());
    warmUp(url);
    try {
      Files.writeString(data.resolve("url"), url + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + data.resolve("url"), e);
    }
    log.info(
        "daemon {} ready at {} (lab {}, {} campaigns resumed, data {}{})",
        name,
        url,
        labConfig.name(),
        resumed.size(),
        data,
        ownership.shared() ? ", standing by for runs another daemon stops driving" : "");
  }

  /**
   * Sends the API one request before anyone else does. The first request a JVM serves loads and
   * sets up the whole HTTP stack (Jetty, Javalin, the access gate): 0.15 s on an idle instrument
   * PC, seconds on a busy one, which would otherwise be paid by the first person who opens the
   * console. Whatever it answers (with TLS the daemon's own certificate may not be trusted here) is
   * ignored.
   */
  private static void warmUp(URI url) {
    try {
      java.net.http.HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build()
          .send(
              java.net.http.HttpRequest.newBuilder(url.resolve("/api/health"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      log.debug("warm-up request to {}: {}", url, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a daemon.
   *
   * @throws ConfigException when the lab file has problems
   * @throws io.labloop.orchestrator.lab.LabUnavailable when instruments cannot be reached
   */
  public static Daemon start(DaemonConfig config, Map<String, String> env, String version) {
    return new Daemon(Objects.requireNonNull(config), env, version);
  }

  /** The name this daemon is recorded under as the driver of its runs. */
  public String name() {
    return name;
  }

  public URI url() {
    return url;
  }

  /** Runs resumed at start. */
  public List<String> resumed() {
    return resumed;
  }

  public EngineCampaignService campaigns() {
    return campaigns;
  }

  /**
   * Re-reads the lab file (SIGHUP, {@code labloop reload}, {@code POST /api/reload}). A file with
   * problems is rejected and the running configuration stays. An unchanged file is a no-op. A
   * changed file takes effect at once when no campaign is running (the lab is reconnected); while
   * campaigns run it is applied instrument by instrument, see {@link #reloadWhileRunning}.
   */
  public ReloadResult reload(Actor who) {
    String file = config.lab().toString();
    LabConfig next;
    try {
      // Read and checked before the lock: a file that is slow to read (a network share) or
      // refused (a FIFO) must not hold SIGTERM or another reload behind it.
      next = loader.loadLab(config.lab());
    } catch (ConfigException e) {
      List<String> problems = e.problems().stream().sorted().map(ConfigProblem::toString).toList();
      log.warn(
          "reload by {}: {} rejected ({} problems); the running configuration stays",
          who.name(),
          file,
          problems.size());
      problems.forEach(p -> log.warn("  {}", p));
      campaigns.announce(
          EventKind.AUDIT,
          Severity.WARNING,
          who,
          "reload of " + file + " rejected (" + problems.size() + " problems)");
      return new ReloadResult(false, file, List.of(), problems);
    }
    return swap(who, file, next);
  }

  /** The part of a reload that changes the daemon, under its lock; no file is read here. */
  private synchronized ReloadResult swap(Actor who, String file, LabConfig next) {
    if (closed)
      return new ReloadResult(
          false,
          file,
          List.of(),
          List.of(file + ":1:1: error: not applied: the daemon is stopping"));
    LabConfig current = labFile.get();
    List<String> changes = differences(current, next);
    if (changes.isEmpty()) {
      log.info("reload by {}: {} unchanged", who.name(), file);
      return new ReloadResult(true, file, List.of(), List.of());
    }
    if (campaigns.runningCount() > 0) return reloadWhileRunning(who, file, current, next, changes);
    Lab old = lab.get();
    VirtualLabs.Running oldSim = virtualLab.get();
    old.close();
    if (oldSim != null) oldSim.close();
    try {
      lab.set(connect(next));
      labFile.set(next);
    } catch (RuntimeException e) {
      log.error(
          "reload by {}: the new lab could not be connected ({}); going back to the previous file",
          who.name(),
          e.getMessage());
      lab.set(connect(current));
      return new ReloadResult(
          false, file, changes, List.of(file + ":1:1: error: not applied: " + e.getMessage()));
    }
    log.info("reload by {}: {} applied: {}", who.name(), file, changes);
    campaigns.announce(
        EventKind.AUDIT,
        Severity.INFO,
        who,
        "reloaded " + file + ": " + String.join("; ", changes));
    return new ReloadResult(true, file, changes, List.of());
  }

  /**
   * The reload with campaigns running. The running campaigns are checked against the new file
   * first: if any would no longer fit (an instrument or command it uses gone, a limit narrower than
   * its space), the whole reload is rejected with the loader's messages and nothing changes.
   * Otherwise the shared {@link Lab} swaps each changed instrument when it is idle: at once, or
   * after its running step (a "config applied" event says when). Steps that start after the swap
   * read the new limits and command settings.
   *
   * <p>With {@code --sim} the instruments are the daemon's private virtual lab; its endpoints
   * cannot move while campaigns use it, so connection changes and new instruments wait for no
   * campaign to run.
   */
  private ReloadResult reloadWhileRunning(
      Actor who, String file, LabConfig current, LabConfig next, List<String> changes) {
    List<String> problems = campaigns.problemsWithLabFile();
    if (problems.isEmpty() && config.sim()) {
      for (InstrumentConfig i : next.instruments().values()) {
        InstrumentConfig was = current.instruments().get(i.name());
        if (was == null || !Lab.driverSettings(was).equals(Lab.driverSettings(i))) {
          problems.add(
              file
                  + ":1:1: error: not applied: "
                  + i.name()
                  + (was == null ? " is new" : "'s connection settings changed")
                  + " (expected only limits, commands, capacity or abort to change while campaigns run on the virtual lab; "
                  + "wait for them to end, then reload again)");
        }
      }
    }
    if (!problems.isEmpty()) {
      log.warn(
          "reload by {}: {} rejected ({} problems); the running configuration stays",
          who.name(),
          file,
          problems.size());
      problems.forEach(p -> log.warn("  {}", p));
      campaigns.announce(
          EventKind.AUDIT,
          Severity.WARNING,
          who,
          "reload of " + file + " rejected (" + problems.size() + " problems): " + problems.get(0));
      return new ReloadResult(false, file, changes, problems);
    }
    Lab running = lab.get();
    LabConfig apply = config.sim() ? withReachedEndpoints(next, running.config()) : next;
    Lab.Reload r;
    try {
      r =
          running.reload(
              apply,
              Duration.ofSeconds(30),
              name ->
                  campaigns.announce(
                      EventKind.AUDIT,
                      Severity.INFO,
                      null,
                      "reload: " + name + ": new configuration applied after its running step"));
    } catch (RuntimeException e) {
      log.error("reload by {}: {} not applied: {}", who.name(), file, e.getMessage());
      return new ReloadResult(
          false, file, changes, List.of(file + ":1:1: error: not applied: " + e.getMessage()));
    }
    labFile.set(next);
    String when =
        r.deferred().isEmpty()
            ? ""
            : " (" + String.join(", ", r.deferred()) + " after the running step)";
    log.info("reload by {}: {} applied while campaigns run: {}{}", who.name(), file, changes, when);
    campaigns.announce(
        EventKind.AUDIT,
        Severity.INFO,
        who,
        "reloaded " + file + ": " + String.join("; ", changes) + when);
    return new ReloadResult(true, file, changes, List.of());
  }

  /**
   * {@code next} with the spec (connection settings) each instrument has in the lab as connected to
   * the virtual lab.
   */
  private static LabConfig withReachedEndpoints(LabConfig next, LabConfig reached) {
    Map<String, InstrumentConfig> in = new java.util.LinkedHashMap<>();
    for (InstrumentConfig i : next.instruments().values()) {
      InstrumentConfig r = reached.instruments().get(i.name());
      in.put(
          i.name(),
          new InstrumentConfig(
              i.name(),
              i.driver(),
              r.spec(),
              i.commands(),
              i.limits(),
              i.capacity(),
              i.abortCommand(),
              i.healthCommand()));
    }
    return new LabConfig(next.file(), next.name(), in, next.simulation(), next.tree());
  }

  private Lab connect(LabConfig labConfig) {
    LabConfig reached = labConfig;
    if (config.sim()) {
      // Private endpoints: a daemon's virtual lab never collides with anything else on the PC.
      VirtualLabs.Running sim =
          VirtualLabs.start(labConfig, config.data().resolve("virtual-lab"), Map.of(), true);
      virtualLab.set(sim);
      reached = sim.config();
    }
    Lab l = Lab.connect(reached, Drivers.standard(), Duration.ofSeconds(30));
    // the first lab is watched by the service as it starts; a reload's new lab has a new broker
    // link
    if (campaigns != null) campaigns.watchAgents(l);
    return l;
  }

  static List<String> differences(LabConfig a, LabConfig b) {
    List<String> out = new ArrayList<>();
    for (InstrumentConfig i : b.instruments().values()) {
      InstrumentConfig was = a.instruments().get(i.name());
      if (was == null) {
        out.add(i.name() + ": added");
        continue;
      }
      List<String> what = new ArrayList<>();
      if (!driverSettings(was).equals(driverSettings(i))) what.add("settings");
      if (!was.limits().equals(i.limits())) what.add("limits");
      if (!was.commands().equals(i.commands())
          || was.capacity() != i.capacity()
          || !was.abortCommand().equals(i.abortCommand())) {
        what.add("commands");
      }
      if (!what.isEmpty()) out.add(i.name() + ": " + String.join(" and ", what) + " changed");
    }
    for (String name : a.instruments().keySet()) {
      if (!b.instruments().containsKey(name)) out.add(name + ": removed");
    }
    return out;
  }

  /**
   * The driver's own part of an instrument's section (connection, protocol), without what the
   * orchestrator reads.
   */
  private static Map<String, Object> driverSettings(InstrumentConfig i) {
    Map<String, Object> s = new java.util.LinkedHashMap<>(i.spec().section());
    List.of("limits", "commands", "capacity", "abort", "health").forEach(s::remove);
    return s;
  }

  /**
   * The graceful stop: API closed, running steps finish (up to the grace time), state committed.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    log.info(
        "daemon stopping: pausing campaigns, waiting up to {} s for running steps",
        config.shutdownGrace().toSeconds());
    api.close();
    if (takeover != null) takeover.close();
    campaigns.stopGracefully(config.shutdownGrace());
    ownership.close();
    scheduler.close();
    closeLab();
    store.close();
    log.info("daemon stopped");
  }

  private void closeLab() {
    Optional.ofNullable(lab.get()).ifPresent(Lab::close);
    Optional.ofNullable(virtualLab.get()).ifPresent(VirtualLabs.Running::close);
  }
}
