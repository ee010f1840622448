package io.labloop.simulators;

import io.labloop.simulators.faults.FaultPlan;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import io.labloop.simulators.journal.CommandJournal;
import io.labloop.simulators.journal.ReceivedCommand;
import io.labloop.simulators.mqtt.EmbeddedBroker;
import io.labloop.simulators.mqtt.MqttDevice;
import io.labloop.simulators.opcua.OpcUaDevice;
import io.labloop.simulators.serial.SerialDevice;
import io.labloop.simulators.sila2.SilaServer;
import io.labloop.simulators.world.VirtualWorld;
import io.labloop.simulators.world.WorldModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A running virtual lab: every instrument the lab file's {@code simulation:} block names, played
 * over the protocol its own section of the lab file gives (OPC UA server, serial line on a
 * pseudo-terminal, MQTT 5 device), all sharing one virtual world.
 *
 * <p>Where the lab file gives port 0 (OPC UA endpoint or MQTT broker), a free port is chosen;
 * {@link #endpoint} and {@link #labTree()} tell the real one. Instruments with the same OPC UA
 * endpoint share one server; instruments with the same broker share one broker.
 *
 * <p>The work folder keeps what a real lab keeps across restarts: the OPC UA server certificate
 * ({@code pki/}), the samples made ({@code samples.jsonl}) and what each instrument received
 * ({@code journal/}). Everything else (pty links, broker folders) is removed by {@link #close()}.
 */
public final class VirtualLab implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VirtualLab.class);

  private final SimulationSettings settings;
  private final Map<String, Object> labTree;
  private final Path workDir;
  private final CommandJournal journal;
  private final Map<String, SimulatedInstrument> instruments;
  private final VirtualWorld world;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

  private VirtualLab(
      SimulationSettings settings,
      Map<String, Object> labTree,
      Path workDir,
      CommandJournal journal,
      Map<String, SimulatedInstrument> instruments,
      VirtualWorld world) {
    this.settings = settings;
    this.world = world;
    this.labTree = labTree;
    this.workDir = workDir;
    this.journal = journal;
    this.instruments = instruments;
  }

  /**
   * Reads a lab file with snakeyaml-engine (no environment substitution: use {@link #start(Map,
   * Path, Path)} with the tree the config loader made when {@code ${VAR}}s are involved) and starts
   * it.
   */
  public static VirtualLab start(Path labYaml, Path workDir) {
    Map<String, Object> tree;
    try (InputStream in = Files.newInputStream(labYaml)) {
      tree = readYaml(in, labYaml.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + labYaml, e);
    }
    Path base = labYaml.toAbsolutePath().getParent();
    return start(tree, base, workDir);
  }

  /** Reads a YAML document into the plain tree {@link #start(Map, Path, Path)} takes. */
  public static Map<String, Object> readYaml(InputStream in, String name) {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().setLabel(name).build()).loadFromInputStream(in);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(name + " is not valid YAML: " + e.getMessage(), e);
    }
    if (!(doc instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          name + " is not a lab file (expected a mapping at the top)");
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    m.forEach((k, v) -> tree.put(String.valueOf(k), v));
    return tree;
  }

  /**
   * Starts the lab.
   *
   * @param labTree the lab file as a plain tree (maps, lists, scalars), environment already filled
   *     in
   * @param baseDir where relative paths (a dataset CSV) are resolved: the lab file's folder
   * @param workDir where certificates, samples and journals are kept (created if missing)
   * @throws SimulationSettings.InvalidSimulation when the simulation block has problems
   * @throws IllegalStateException when an instrument cannot be started (port taken, no pty)
   */
  public static VirtualLab start(Map<String, Object> labTree, Path baseDir, Path workDir) {
    SimulationSettings settings = SimulationSettings.from(labTree);
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create work folder " + workDir, e);
    }
    VirtualWorld world = new VirtualWorld(WorldModels.build(settings.world(), baseDir), workDir);
    CommandJournal journal = new CommandJournal(workDir);
    Map<String, SimulatedInstrument> instruments = new LinkedHashMap<>();
    for (SimulationSettings.Instrument i : settings.instruments().values()) {
      FaultPlan plan =
          new FaultPlan(
              settings.faults().getOrDefault(i.name(), Map.of()),
              settings.seed() * 7919L + ("faults:" + i.name()).hashCode());
      instruments.put(
          i.name(),
          new SimulatedInstrument(i, world, plan, journal, settings.timeScale(), settings.seed()));
    }
    Map<String, Object> tree = deepCopy(labTree);
    VirtualLab lab = new VirtualLab(settings, tree, workDir, journal, instruments, world);
    try {
      lab.startDevices();
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> section(String instrument) {
    return (Map<String, Object>) ((Map<String, Object>) labTree.get("instruments")).get(instrument);
  }

  /**
   * Where a SiLA 2 instrument's server announces itself (SiLA Server Discovery), or null: by
   * default only when the lab file finds it by name ({@code discover:}), as it could not be found
   * otherwise; the simulation's {@code discoverable} says so either way.
   */
  private @Nullable InetAddress announceOn(String name, Map<String, Object> section) {
    boolean discoverable =
        settings
            .instruments()
            .get(name)
            .discoverable()
            .orElse(section.get("discover") instanceof String);
    if (!discoverable) return null;
    try {
      return io.labloop.common.Multicast.address(settings.mdnsInterface());
    } catch (IOException e) {
      throw new IllegalStateException(
          "instrument '" + name + "': cannot announce its SiLA 2 server: " + e.getMessage(), e);
    }
  }

  private void startDevices() {
    Map<String, List<String>> opcua = new LinkedHashMap<>();
    Map<String, List<String>> mqtt = new LinkedHashMap<>();
    List<SilaServer> silaServers = new ArrayList<>();
    for (String name : instruments.keySet()) {
      Map<String, Object> section = section(name);
      switch (String.valueOf(section.get("driver"))) {
        case "opcua", "lads" ->
            opcua
                .computeIfAbsent(String.valueOf(section.get("endpoint")), k -> new ArrayList<>())
                .add(name);
        case "mqtt" ->
            mqtt.computeIfAbsent(String.valueOf(section.get("broker")), k -> new ArrayList<>())
                .add(name);
        case "sila2" -> {
          // one SiLA 2 server per instrument, as each SiLA device is its own server
          SilaServer server =
              SilaServer.start(instruments.get(name), section, workDir, announceOn(name, section));
          register(server);
          silaServers.add(server);
          // a server the lab file finds by name stays found by name
          if (!section.containsKey("discover"))
            section.put("server", server.endpoints().get(0).address());
        }
        default -> {
          SerialDevice device =
              SerialDevice.start(
                  instruments.get(name), section, Path.of(String.valueOf(section.get("port"))));
          register(device);
        }
      }
    }
    // The OPC UA servers and the MQTT brokers each take a second or two to start (certificate,
    // Netty, HiveMQ): start them side by side, then register them in the lab file's order.
    ExecutorService starter =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "virtual-lab-start");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, CompletableFuture<OpcUaDevice>> servers = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : opcua.entrySet()) {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        List<SimulatedInstrument> members = new ArrayList<>();
        for (String name : e.getValue()) {
          sections.put(name, section(name));
          members.add(instruments.get(name));
        }
        servers.put(
            e.getKey(),
            CompletableFuture.supplyAsync(
                () ->
                    OpcUaDevice.start(
                        URI.create(e.getKey()),
                        members,
                        sections,
                        workDir.resolve("pki"),
                        settings.trustClients() == SimulationSettings.ClientTrust.TRUST_LIST),
                starter));
      }
      Map<String, CompletableFuture<List<AutoCloseable>>> brokers = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : mqtt.entrySet()) {
        brokers.put(
            e.getKey(),
            CompletableFuture.supplyAsync(
                () -> startMqtt(URI.create(e.getKey()), e.getValue()), starter));
      }
      RuntimeException failure = null;
      for (Map.Entry<String, CompletableFuture<OpcUaDevice>> e : servers.entrySet()) {
        try {
          OpcUaDevice device = e.getValue().join();
          register(device);
          for (String name : opcua.get(e.getKey())) {
            section(name).put("endpoint", device.endpoints().get(0).address());
          }
        } catch (CompletionException ex) {
          failure = failure == null ? unwrap(ex) : failure;
        }
      }
      for (Map.Entry<String, CompletableFuture<List<AutoCloseable>>> e : brokers.entrySet()) {
        try {
          for (AutoCloseable started : e.getValue().join()) {
            if (started instanceof ProtocolDevice device) {
              register(device);
              for (Endpoint ep : device.endpoints()) {
                section(ep.instrument()).put("broker", ep.address());
              }
            } else {
              running.add(started);
            }
          }
        } catch (CompletionException ex) {
          failure = failure == null ? unwrap(ex) : failure;
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      starter.shutdown();
    }
    // discoverable SiLA 2 servers announced themselves meanwhile: findable once the lab has started
    for (SilaServer s : silaServers) s.awaitAnnounced(java.time.Duration.ofSeconds(15));
    for (Endpoint ep : endpoints.values()) {
      log.info("virtual instrument {}", ep.describe());
    }
  }

  /** Starts the broker (when embedded) and the devices on it; on failure stops what it started. */
  private List<AutoCloseable> startMqtt(URI broker, List<String> names) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      URI address = broker;
      Optional<Path> trusted = Optional.empty();
      if (settings.broker().equals("embedded")) {
        EmbeddedBroker embedded = EmbeddedBroker.start(broker, workDir, settings.brokerAccess());
        started.add(embedded);
        address = embedded.uri();
        trusted = embedded.certificate();
      }
      for (String name : names) {
        // On an external ssl:// broker the device trusts what the lab tells the driver to trust.
        Optional<Path> trust = trusted.or(() -> tlsCa(section(name)));
        started.add(MqttDevice.start(instruments.get(name), section(name), address, trust));
      }
      return started;
    } catch (RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The {@code tls: { ca: FILE }} of an MQTT instrument's section, if any. */
  private static Optional<Path> tlsCa(Map<String, Object> section) {
    return section.get("tls") instanceof Map<?, ?> tls && tls.get("ca") instanceof String ca
        ? Optional.of(Path.of(ca))
        : Optional.empty();
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }

  private void register(ProtocolDevice device) {
    running.add(device);
    for (Endpoint ep : device.endpoints()) {
      endpoints.put(ep.instrument(), ep);
    }
  }

  /** The names of the simulated instruments, in the order of the simulation block. */
  public Set<String> instruments() {
    return Collections.unmodifiableSet(instruments.keySet());
  }

  /** How to reach an instrument (with the real port when the lab file said 0). */
  public Endpoint endpoint(String instrument) {
    Endpoint ep = endpoints.get(instrument);
    if (ep == null) {
      throw new NoSuchElementException(
          "no simulated instrument '" + instrument + "' (have " + endpoints.keySet() + ")");
    }
    return ep;
  }

  /** Every endpoint, in the order of the simulation block. */
  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints.values());
  }

  /**
   * The lab file's tree as the lab runs it: endpoints and brokers with their real ports. Hand this
   * to drivers or to a campaign when the lab was started with port 0.
   */
  public Map<String, Object> labTree() {
    return deepCopy(labTree);
  }

  /** The fault plan of an instrument: queue faults ({@code next}) or change rates at run time. */
  public FaultPlan faults(String instrument) {
    return instrument(instrument).faults();
  }

  /**
   * How many times {@code command} reached {@code instrument}, counted from the journal file
   * (survives restarts of the lab).
   */
  public long received(String instrument, String command) {
    instrument(instrument);
    return journal.count(instrument, command);
  }

  /** Every command that reached the instrument, oldest first (from the journal file). */
  public List<ReceivedCommand> journal(String instrument) {
    instrument(instrument);
    return journal.entries(instrument);
  }

  /**
   * Sets a process variable (State, Temperature, Door) of an instrument, e.g. opens the door to
   * test an interlock.
   */
  public void setVariable(String instrument, String variable, Object value) {
    instrument(instrument).setVariable(variable, value);
  }

  /** Reads a process variable of an instrument. */
  public Object variable(String instrument, String variable) {
    return instrument(instrument).variable(variable);
  }

  /** The virtual world: every sample made so far, with its true properties. */
  public VirtualWorld world() {
    return world;
  }

  /** The settings the lab runs with. */
  public SimulationSettings settings() {
    return settings;
  }

  /** The work folder (certificates, samples, journals). */
  public Path workDir() {
    return workDir;
  }

  private SimulatedInstrument instrument(String name) {
    SimulatedInstrument i = instruments.get(name);
    if (i == null) {
      throw new NoSuchElementException(
          "no simulated instrument '" + name + "' (have " + instruments.keySet() + ")");
    }
    return i;
  }

  /**
   * Stops every instrument and broker; frees every port and removes every pty link. The MQTT
   * devices and serial lines stop first; then the OPC UA servers and the brokers, which take
   * seconds each (HiveMQ about four), stop side by side.
   */
  @Override
  public void close() {
    for (SimulatedInstrument i : instruments.values()) {
      i.abort();
    }
    List<AutoCloseable> slow = new ArrayList<>();
    for (int i = running.size() - 1; i >= 0; i--) {
      AutoCloseable c = running.get(i);
      if (c instanceof OpcUaDevice || c instanceof EmbeddedBroker) {
        slow.add(c);
      } else {
        closeQuietly(c);
      }
    }
    List<Thread> stoppers = new ArrayList<>();
    for (AutoCloseable c : slow) {
      Thread t = new Thread(() -> closeQuietly(c), "virtual-lab-stop");
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("stopping {} failed: {}", c, e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(deepCopy(o));
      }
      return (T) out;
    }
    return value;
  }
}
