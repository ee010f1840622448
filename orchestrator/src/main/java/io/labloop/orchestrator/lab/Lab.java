package io.labloop.orchestrator.lab;

import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.agent.AgentLink;
import io.labloop.orchestrator.agent.BrokerSettings;
import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.agent.RemoteInstrument;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instruments of one lab, connected, with their lease queues and health. One {@code Lab} is
 * shared by every campaign that runs on it; leases keep each instrument within its capacity and
 * share it fairly.
 */
public final class Lab implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Lab.class);

  /**
   * The configuration in force: changes instrument by instrument as reloaded sections are swapped
   * in.
   */
  private volatile LabConfig config;

  private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();
  private final Map<String, LeaseQueue> leases = new ConcurrentHashMap<>();
  private final Map<String, InstrumentStatus> marked = new ConcurrentHashMap<>();

  /**
   * The last error the lab itself saw per instrument (a hung step, a failed probe), kept after
   * recovery.
   */
  private final Map<String, String> lastErrors = new ConcurrentHashMap<>();

  /**
   * Builds the instrument objects of reloaded sections; null for a lab over instruments built
   * elsewhere.
   */
  private final Drivers drivers;

  private final boolean ownsInstruments;

  /** The last command sent to each instrument, for people watching the lab. */
  private final InstrumentActivity activity = new InstrumentActivity(java.time.Clock.systemUTC());

  /**
   * The connection to the broker of the lab's agents ({@code agents:}), if any instrument is on
   * another PC; owned by the lab.
   */
  private final Optional<AgentLink> agents;

  private Lab(
      LabConfig config,
      Map<String, Instrument> instruments,
      Drivers drivers,
      boolean ownsInstruments,
      Optional<AgentLink> agents) {
    this.config = config;
    this.agents = agents;
    this.drivers = drivers;
    this.ownsInstruments = ownsInstruments;
    for (InstrumentConfig i : config.instruments().values()) {
      Instrument instrument = instruments.get(i.name());
      if (instrument == null)
        throw new IllegalArgumentException("no instrument object for '" + i.name() + "'");
      this.instruments.put(i.name(), instrument);
      leases.put(i.name(), new LeaseQueue(i.name(), Math.max(1, i.capacity())));
    }
  }

  /** A lab over instruments that are already built (and connected, or connecting themselves). */
  public static Lab of(LabConfig config, Map<String, Instrument> instruments) {
    return new Lab(config, instruments, null, false, Optional.empty());
  }

  /**
   * Builds every instrument of {@code config} with {@code drivers} and connects them all, waiting
   * up to {@code connectTimeout}.
   *
   * @throws LabUnavailable naming every instrument that did not come online
   */
  public static Lab connect(LabConfig config, Drivers drivers, Duration connectTimeout) {
    Map<String, Instrument> built = new LinkedHashMap<>();
    Optional<AgentLink> link = Optional.empty();
    try {
      link = agentLink(config, connectTimeout);
      for (InstrumentConfig i : config.instruments().values())
        built.put(i.name(), build(i, drivers, link));
    } catch (RuntimeException e) {
      built.values().forEach(Instrument::close);
      drivers.close();
      link.ifPresent(AgentLink::close);
      throw new LabUnavailable("lab " + config.name() + ": " + e.getMessage(), e);
    }
    List<String> problems = connectAll(built, connectTimeout);
    if (!problems.isEmpty()) {
      built.values().forEach(Instrument::close);
      drivers.close();
      link.ifPresent(AgentLink::close);
      throw new LabUnavailable(
          "lab " + config.name() + " is not reachable: " + String.join("; ", problems), null);
    }
    log.info("lab {}: {} instruments online", config.name(), built.size());
    return new Lab(config, built, drivers, true, link);
  }

  /**
   * The link to the agents' broker when an instrument is marked {@code agent:}; the lab file's
   * {@code agents:} block says where (checked by the reader).
   */
  private static Optional<AgentLink> agentLink(LabConfig config, Duration timeout) {
    boolean remote =
        config.instruments().values().stream()
            .anyMatch(i -> InstrumentAgent.agentOf(i).isPresent());
    if (!remote) return Optional.empty();
    BrokerSettings settings =
        BrokerSettings.fromLab(config.tree(), config.file().toAbsolutePath().getParent())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "instruments are marked agent: but the lab file has no agents: block"
                            + " with the broker"));
    AgentLink link = new AgentLink(settings);
    try {
      link.connect(timeout);
    } catch (java.io.IOException e) {
      link.close();
      throw new LabUnavailable(e.getMessage(), e);
    }
    return Optional.of(link);
  }

  /** A driver's instrument, or a remote one when the section names an agent. */
  private static Instrument build(InstrumentConfig i, Drivers drivers, Optional<AgentLink> link) {
    Optional<String> agent = InstrumentAgent.agentOf(i);
    if (agent.isPresent() && link.isPresent())
      return new RemoteInstrument(i, agent.get(), link.get());
    return drivers.create(i.spec());
  }

  /** The link to the agents' broker, if the lab has instruments on other PCs. */
  public Optional<AgentLink> agents() {
    return agents;
  }

  /**
   * Connects every instrument of {@code built}, waiting up to {@code timeout} in all; the problems,
   * one per instrument.
   */
  private static List<String> connectAll(Map<String, Instrument> built, Duration timeout) {
    Map<String, CompletableFuture<Void>> connecting = new LinkedHashMap<>();
    built.forEach((name, instrument) -> connecting.put(name, instrument.connect()));
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    connecting.forEach(
        (name, f) -> {
          try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            problems.add(name + ": not online after " + timeout.toSeconds() + " s");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(name + ": interrupted while connecting");
          } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            problems.add(name + ": " + cause.getMessage());
          }
        });
    return problems;
  }

  /**
   * What a reload did: instruments changed at once, and those that take the change after their
   * running step.
   */
  public record Reload(List<String> appliedNow, List<String> deferred) {
    public Reload {
      appliedNow = List.copyOf(appliedNow);
      deferred = List.copyOf(deferred);
    }
  }

  /**
   * Applies {@code next} with this lab's own drivers (see {@link #reload(LabConfig, Function,
   * Duration, Consumer)}).
   *
   * @throws IllegalStateException for a lab made with {@link #of}, which has no drivers
   */
  public Reload reload(LabConfig next, Duration connectTimeout, Consumer<String> appliedLater) {
    if (drivers == null)
      throw new IllegalStateException(
          "lab " + config.name() + " was built without drivers; pass a builder");
    return reload(
        next,
        spec -> build(next.instrument(spec.name()), drivers, agents),
        connectTimeout,
        appliedLater);
  }

  /**
   * Hot reload, instrument by instrument, while campaigns may be running.
   *
   * <p>Each instrument of {@code next} is compared with the one in force. Unchanged ones are left
   * alone. A section whose driver settings (connection, protocol) changed gets a new instrument
   * object, built with {@code build} and connected before anything is swapped; one where only what
   * the orchestrator reads changed (limits, commands, capacity, abort) keeps its connected object.
   * The swap of config and object happens when the instrument holds no lease: at once if it is
   * idle, otherwise when the last running step releases it, and no new step starts on it meanwhile;
   * the old object is closed after the swap. Added instruments come online at once; removed ones go
   * when idle (the caller makes sure no running campaign uses them). Whoever checks the new file
   * against running campaigns does so before calling this: here every change is assumed valid.
   *
   * @param appliedLater told the instrument's name when a deferred swap has happened
   * @throws LabUnavailable if a new instrument object does not come online; then nothing changed
   */
  public Reload reload(
      LabConfig next,
      Function<InstrumentSpec, Instrument> build,
      Duration connectTimeout,
      Consumer<String> appliedLater) {
    LabConfig current = config;
    Map<String, Instrument> built = new LinkedHashMap<>();
    try {
      for (InstrumentConfig i : next.instruments().values()) {
        InstrumentConfig was = current.instruments().get(i.name());
        if (was == null || !driverSettings(was).equals(driverSettings(i)))
          built.put(i.name(), build.apply(i.spec()));
      }
    } catch (RuntimeException e) {
      built.values().forEach(Lab::closeQuietly);
      throw new LabUnavailable("lab " + next.name() + ": " + e.getMessage(), e);
    }
    List<String> problems = connectAll(built, connectTimeout);
    if (!problems.isEmpty()) {
      built.values().forEach(Lab::closeQuietly);
      throw new LabUnavailable(
          "lab " + next.name() + " is not reachable: " + String.join("; ", problems), null);
    }
    List<String> now = new ArrayList<>();
    List<String> later = new ArrayList<>();
    for (InstrumentConfig i : next.instruments().values()) {
      InstrumentConfig was = current.instruments().get(i.name());
      if (was == null) {
        instruments.put(i.name(), built.get(i.name()));
        leases.put(i.name(), new LeaseQueue(i.name(), Math.max(1, i.capacity())));
        rebuildConfig(next, i.name(), i);
        now.add(i.name());
        continue;
      }
      if (was.equals(i)) continue;
      boolean swappedNow =
          leases
              .get(i.name())
              .whenIdle(
                  deferred -> {
                    // Read at swap time: an earlier reload's swap may have replaced the object
                    // meanwhile.
                    Instrument old = instruments.get(i.name());
                    Instrument fresh = built.getOrDefault(i.name(), old);
                    instruments.put(i.name(), fresh);
                    leases.get(i.name()).capacity(Math.max(1, i.capacity()));
                    rebuildConfig(next, i.name(), i);
                    if (old != fresh) {
                      marked.remove(i.name());
                      closeQuietly(old);
                    }
                    log.info("lab {}: new configuration of {} in force", next.name(), i.name());
                    if (deferred) appliedLater.accept(i.name());
                  });
      if (swappedNow) now.add(i.name());
      else later.add(i.name());
    }
    for (String name : current.instruments().keySet()) {
      if (next.instruments().containsKey(name)) continue;
      boolean dropped =
          leases
              .get(name)
              .whenIdle(
                  deferred -> {
                    closeQuietly(instruments.remove(name));
                    leases.remove(name);
                    marked.remove(name);
                    rebuildConfig(next, name, null);
                    log.info("lab {}: {} removed", next.name(), name);
                    if (deferred) appliedLater.accept(name);
                  });
      if (dropped) now.add(name);
      else later.add(name);
    }
    return new Reload(now, later);
  }

  public LabConfig config() {
    return config;
  }

  public InstrumentConfig instrumentConfig(String name) {
    return config.instrument(name);
  }

  /**
   * The agent an instrument is reached through when it is on another PC ({@code agent:} in its
   * section), empty for an instrument this process drives itself.
   */
  public Optional<String> agentOf(String name) {
    return instruments.get(name) instanceof RemoteInstrument
        ? InstrumentAgent.agentOf(instrumentConfig(name))
        : Optional.empty();
  }

  public Instrument instrument(String name) {
    Instrument i = instruments.get(name);
    if (i == null)
      throw new IllegalArgumentException(
          "lab " + config.name() + " has no instrument '" + name + "'");
    return i;
  }

  /** How many commands {@code instrument} runs at once. */
  public int capacity(String instrument) {
    return queue(instrument).capacity();
  }

  /**
   * Waits for a free slot of {@code instrument}; cancelling the future gives up the place in the
   * queue.
   */
  public CompletableFuture<Lease> lease(String instrument, String holder) {
    return queue(instrument).acquire(holder);
  }

  /**
   * As {@link #lease(String, String)}, saying what the lease is for (which run, experiment and
   * step), so that {@link #holdings} can show it.
   */
  public CompletableFuture<Lease> lease(String instrument, String holder, Holding.Purpose purpose) {
    return queue(instrument).acquire(holder, purpose);
  }

  /** Who holds {@code instrument} now, oldest lease first; empty when it is idle. */
  public List<Holding> holdings(String instrument) {
    return queue(instrument).holdings();
  }

  /**
   * Sends {@code command} to {@code instrument} (its driver's {@code execute}), noting it as the
   * instrument's last command with who sent it and, when it answers, how it ended.
   *
   * @param by who sends it, as people should read it ({@code silver/2 #17 dose}, {@code
   *     health-check})
   */
  public CompletableFuture<io.labloop.drivers.Reply> send(
      String instrument, io.labloop.drivers.Command command, String by) {
    Instrument target = instrument(instrument);
    return activity.send(instrument, command, by, target::execute);
  }

  /** The last command sent to {@code instrument} through {@link #send}, if any. */
  public Optional<SentCommand> lastCommand(String instrument) {
    return activity.last(instrument);
  }

  /**
   * A lease on {@code instrument} only if it is idle now (no step running or waiting, no reload
   * swap due); empty otherwise. Nothing waits.
   */
  public Optional<Lease> leaseIfIdle(String instrument, String holder) {
    return queue(instrument).tryAcquireIdle(holder);
  }

  /** Leases currently held on {@code instrument}. */
  public int busy(String instrument) {
    return queue(instrument).held();
  }

  private LeaseQueue queue(String instrument) {
    LeaseQueue q = leases.get(instrument);
    if (q == null)
      throw new IllegalArgumentException(
          "lab " + config.name() + " has no instrument '" + instrument + "'");
    return q;
  }

  /**
   * Marks {@code instrument} in error (a hung step); its status shows it until a command succeeds
   * again.
   */
  public void markError(String instrument, String reason) {
    mark(instrument, InstrumentStatus.State.ERROR, reason);
  }

  // Both marks are COMMUNICATION: the instrument did not answer (a hung step, a failed probe),
  // whatever the connection says.

  /**
   * Marks {@code instrument} OFFLINE: its health probe failed although the connection may be up (it
   * does not answer); its status shows it until a command or a probe succeeds again.
   */
  public void markOffline(String instrument, String reason) {
    mark(instrument, InstrumentStatus.State.OFFLINE, reason);
  }

  private void mark(String instrument, InstrumentStatus.State state, String reason) {
    InstrumentStatus was = marked.get(instrument);
    // keep the time it entered the state: a probe failing every minute is one outage, not many
    Instant since = was != null && was.state() == state ? was.since() : Instant.now();
    marked.put(
        instrument,
        new InstrumentStatus(
            state, Optional.of(InstrumentStatus.ReasonKind.COMMUNICATION), reason, since, reason));
    lastErrors.put(instrument, reason);
  }

  /** A command succeeded: the instrument is healthy again. */
  public void clearError(String instrument) {
    marked.remove(instrument);
  }

  /**
   * The driver's status, unless the engine or the health check marked the instrument; the last
   * error the lab saw is kept after recovery when the driver has none of its own.
   */
  public InstrumentStatus status(String instrument) {
    InstrumentStatus m = marked.get(instrument);
    if (m != null) return m;
    InstrumentStatus driver = instrument(instrument).status();
    String ours = lastErrors.get(instrument);
    if (ours == null || (driver.lastError() != null && !driver.lastError().isEmpty()))
      return driver;
    return new InstrumentStatus(
        driver.state(), driver.reasonKind(), driver.reason(), driver.since(), ours);
  }

  /** Every instrument's status, in lab order. */
  public Map<String, InstrumentStatus> statuses() {
    Map<String, InstrumentStatus> out = new LinkedHashMap<>();
    config.instruments().keySet().forEach(n -> out.put(n, status(n)));
    return out;
  }

  /** The configured abort command of {@code instrument}, if it has one. */
  public Optional<String> abortCommand(String instrument) {
    return instrumentConfig(instrument).abortCommand();
  }

  /** Unwraps the {@link InstrumentError} inside a failed future's exception, if there is one. */
  public static Optional<InstrumentError> instrumentError(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException
        || (c != null && c.getClass() == java.util.concurrent.ExecutionException.class))
      c = c.getCause();
    return c instanceof InstrumentError e ? Optional.of(e) : Optional.empty();
  }

  /**
   * The configuration in force after {@code name}'s section became {@code section} (null: removed),
   * in {@code next}'s order.
   */
  private synchronized void rebuildConfig(LabConfig next, String name, InstrumentConfig section) {
    Map<String, InstrumentConfig> in = new LinkedHashMap<>();
    for (String n : next.instruments().keySet()) {
      InstrumentConfig c = n.equals(name) ? section : config.instruments().get(n);
      if (c != null) in.put(n, c);
    }
    for (InstrumentConfig c : config.instruments().values()) {
      if (!in.containsKey(c.name()) && !c.name().equals(name))
        in.put(c.name(), c); // removal still waiting
    }
    config = new LabConfig(next.file(), next.name(), in, next.simulation(), next.tree());
  }

  /**
   * The driver's own part of an instrument's section (connection, protocol), without what the
   * orchestrator reads.
   */
  public static Map<String, Object> driverSettings(InstrumentConfig i) {
    Map<String, Object> s = new LinkedHashMap<>(i.spec().section());
    List.of("limits", "commands", "capacity", "abort", "health").forEach(s::remove);
    s.put("driver", i.driver());
    return s;
  }

  private static void closeQuietly(Instrument i) {
    if (i == null) return;
    try {
      i.close();
    } catch (RuntimeException e) {
      log.warn("closing {}: {}", i, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (!ownsInstruments) return;
    instruments.values().forEach(Lab::closeQuietly);
    drivers.close();
    agents.ifPresent(AgentLink::close);
  }
}
