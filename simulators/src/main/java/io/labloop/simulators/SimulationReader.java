package io.labloop.simulators;

import static io.labloop.simulators.TreeReader.describe;
import static io.labloop.simulators.TreeReader.path;
import static io.labloop.simulators.TreeReader.stringKeys;

import io.labloop.settings.SettingsProblem;
import io.labloop.simulators.SimulationSettings.ClientTrust;
import io.labloop.simulators.SimulationSettings.Instrument;
import io.labloop.simulators.SimulationSettings.Role;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the lab file's {@code simulation:} block into {@link SimulationSettings}: seed, time scale,
 * broker and client trust, the world ({@link WorldReader}), each simulated instrument against the
 * lab's own instruments (its role, what it measures of the world, noise and drift; a protocol the
 * virtual lab can play, with the address to play it at), and the fault rates per instrument. Every
 * problem is collected with its key path; a block with problems reads as {@code null}.
 */
final class SimulationReader {
  static final Set<String> TOP_KEYS =
      Set.of(
          "seed",
          "time-scale",
          "world",
          "instruments",
          "faults",
          "broker",
          "broker-users",
          "broker-acl",
          "trust-clients",
          "mdns-interface");
  static final Set<String> INSTRUMENT_KEYS =
      Set.of("role", "measures", "duration", "noise", "drift", "discoverable");
  static final Set<String> PROTOCOLS = Set.of("opcua", "lads", "serial", "mqtt", "sila2");

  private SimulationReader() {}

  static SimulationSettings read(Map<String, Object> labTree, List<SettingsProblem> problems) {
    Object block = labTree.get("simulation");
    if (block == null) {
      return null;
    }
    TreeReader r = new TreeReader(problems);
    List<Object> at = List.of("simulation");
    Map<String, Object> sim = r.map(block, at);
    if (sim == null) {
      return null;
    }
    r.unknownKeys(sim, TOP_KEYS, at);

    long seed = 0;
    if (sim.containsKey("seed")) {
      Object s = sim.get("seed");
      if (s instanceof Integer
          || s instanceof Long
          || s instanceof java.math.BigInteger && ((java.math.BigInteger) s).bitLength() < 64) {
        seed = ((Number) s).longValue();
      } else {
        r.problem(path(at, "seed"), "seed must be a whole number, got " + describe(s));
      }
    }
    double timeScale = 1.0;
    if (sim.containsKey("time-scale")) {
      Object t = sim.get("time-scale");
      if (t instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
        timeScale = n.doubleValue();
      } else {
        r.problem(
            path(at, "time-scale"),
            "time-scale must be a number >= 0 (0 = instant, 0.001 = 1000 times faster), got "
                + describe(t));
      }
    }
    String broker = "embedded";
    if (sim.containsKey("broker")) {
      Object b = sim.get("broker");
      if ("embedded".equals(b) || "external".equals(b)) {
        broker = (String) b;
      } else {
        r.problem(
            path(at, "broker"), "broker must be 'embedded' or 'external', got " + describe(b));
      }
    }
    ClientTrust trustClients = ClientTrust.ALL;
    if (sim.containsKey("trust-clients")) {
      Object t = sim.get("trust-clients");
      if ("all".equals(t)) {
        trustClients = ClientTrust.ALL;
      } else if ("trust-list".equals(t)) {
        trustClients = ClientTrust.TRUST_LIST;
      } else {
        r.problem(
            path(at, "trust-clients"),
            "trust-clients must be 'all' (the OPC UA servers accept every client certificate)"
                + " or 'trust-list' (only those in the work folder's pki/trusted/certs), got "
                + describe(t));
      }
    }

    WorldSpec world = null;
    if (!sim.containsKey("world")) {
      r.problem(
          path(at, "world"),
          "missing world (expected { model: silver-nanoparticles } or { expression: {...} }, { dataset: FILE, inputs: [...], outputs: [...] }, { function: NAME })");
    } else {
      world = WorldReader.read(r, sim.get("world"), path(at, "world"));
    }
    List<String> worldOutputs = world == null ? null : WorldModels.outputsOf(world);

    Map<String, Object> labInstruments =
        labTree.get("instruments") instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    Map<String, Instrument> instruments = new LinkedHashMap<>();
    if (!sim.containsKey("instruments")) {
      r.problem(
          path(at, "instruments"),
          "missing instruments (expected the lab instruments to simulate, e.g. robot: { role: synthesizer, duration: 30m })");
    } else {
      Map<String, Object> section = r.map(sim.get("instruments"), path(at, "instruments"));
      if (section != null) {
        for (Map.Entry<String, Object> e : section.entrySet()) {
          List<Object> here = path(at, "instruments", e.getKey());
          Instrument instrument = readInstrument(r, e.getKey(), e.getValue(), here, worldOutputs);
          if (!labInstruments.containsKey(e.getKey())) {
            r.problem(
                here,
                "no instrument '"
                    + e.getKey()
                    + "' in the lab's instruments"
                    + r.didYouMean(e.getKey(), labInstruments.keySet()));
          } else {
            checkProtocol(r, e.getKey(), labInstruments.get(e.getKey()));
          }
          if (instrument != null) {
            instruments.put(e.getKey(), instrument);
          }
        }
      }
    }

    Map<String, Map<Fault, Double>> faults = new LinkedHashMap<>();
    if (sim.containsKey("faults")) {
      Map<String, Object> section = r.map(sim.get("faults"), path(at, "faults"));
      if (section != null) {
        for (Map.Entry<String, Object> e : section.entrySet()) {
          List<Object> here = path(at, "faults", e.getKey());
          if (!instruments.containsKey(e.getKey())) {
            r.problem(
                here,
                "no simulated instrument '"
                    + e.getKey()
                    + "'"
                    + r.didYouMean(e.getKey(), instruments.keySet()));
          }
          Map<String, Object> rates = r.map(e.getValue(), here);
          if (rates == null) {
            continue;
          }
          Map<Fault, Double> byFault = new EnumMap<>(Fault.class);
          Set<String> keys = new java.util.TreeSet<>();
          for (Fault f : Fault.values()) {
            keys.add(f.key());
          }
          r.unknownKeys(rates, keys, here);
          double sum = 0;
          for (Fault f : Fault.values()) {
            if (!rates.containsKey(f.key())) {
              continue;
            }
            Object v = rates.get(f.key());
            if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
              byFault.put(f, n.doubleValue());
              sum += n.doubleValue();
            } else {
              r.problem(
                  path(here, f.key()),
                  f.key() + " must be a probability between 0 and 1, got " + describe(v));
            }
          }
          if (sum > 1 + 1e-9) {
            r.problem(here, "the fault rates add up to " + sum + " (expected at most 1)");
          }
          faults.put(e.getKey(), byFault);
        }
      }
    }
    if (trustClients == ClientTrust.TRUST_LIST
        && !instruments.isEmpty()
        && instruments.keySet().stream()
            .noneMatch(name -> securedOpcUa(labInstruments.get(name)))) {
      r.problem(
          path(at, "trust-clients"),
          "trust-clients: trust-list has no effect here: no simulated OPC UA instrument has a"
              + " security policy other than None (client certificates are checked only on Sign and SignAndEncrypt endpoints)");
    }
    if (world == null) {
      return null;
    }
    java.util.Optional<String> mdnsInterface = java.util.Optional.empty();
    if (sim.containsKey("mdns-interface")) {
      Object m = sim.get("mdns-interface");
      if (m instanceof String text && !text.isBlank()) mdnsInterface = java.util.Optional.of(text);
      else
        r.problem(
            path(at, "mdns-interface"),
            "mdns-interface must be a network interface name or address (e.g. eth0), got "
                + describe(m));
    }
    Map<String, String> brokerUsers = new java.util.LinkedHashMap<>();
    if (sim.containsKey("broker-users")) {
      Object u = sim.get("broker-users");
      if (u instanceof Map<?, ?> m && !m.isEmpty()) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getValue() instanceof String password && !password.isEmpty()) {
            brokerUsers.put(String.valueOf(e.getKey()), password);
          } else {
            r.problem(
                path(path(at, "broker-users"), String.valueOf(e.getKey())),
                "the password of broker user "
                    + e.getKey()
                    + " must be text, got "
                    + describe(e.getValue()));
          }
        }
      } else {
        r.problem(
            path(at, "broker-users"),
            "broker-users must map user names to passwords ({ NAME: PASSWORD, ... }), got "
                + describe(u));
      }
    }
    boolean agentAcl = false;
    if (sim.containsKey("broker-acl")) {
      Object a = sim.get("broker-acl");
      if ("agents".equals(a) && !brokerUsers.isEmpty()) {
        agentAcl = true;
      } else if ("agents".equals(a)) {
        r.problem(path(at, "broker-acl"), "broker-acl: agents needs broker-users");
      } else {
        r.problem(
            path(at, "broker-acl"),
            "broker-acl must be 'agents' (the rules of config/mosquitto/acl), got " + describe(a));
      }
    }
    if (!brokerUsers.isEmpty() && broker.equals("external")) {
      r.problem(
          path(at, "broker-users"),
          "broker-users applies to the embedded broker, not an external one");
    }
    return new SimulationSettings(
        seed,
        timeScale,
        world,
        instruments,
        faults,
        broker,
        new io.labloop.simulators.mqtt.EmbeddedBroker.Access(brokerUsers, agentAcl),
        trustClients,
        mdnsInterface);
  }

  private static Instrument readInstrument(
      TreeReader r, String name, Object value, List<Object> at, List<String> worldOutputs) {
    Map<String, Object> section = r.map(value, at);
    if (section == null) {
      return null;
    }
    r.unknownKeys(section, INSTRUMENT_KEYS, at);
    Role role = null;
    Object roleValue = section.get("role");
    if ("synthesizer".equals(roleValue)) {
      role = Role.SYNTHESIZER;
    } else if ("measurer".equals(roleValue)) {
      role = Role.MEASURER;
    } else {
      r.problem(
          path(at, "role"),
          roleValue == null
              ? "missing role (expected synthesizer or measurer)"
              : "role must be synthesizer or measurer, got " + describe(roleValue));
    }
    Duration duration = Duration.ZERO;
    if (section.containsKey("duration")) {
      try {
        duration = Durations.parse(section.get("duration"));
      } catch (IllegalArgumentException e) {
        r.problem(path(at, "duration"), e.getMessage());
      }
    }
    List<String> measures = List.of();
    if (section.containsKey("measures")) {
      List<String> m = r.names(section.get("measures"), path(at, "measures"), "measures");
      if (m != null) {
        measures = m;
        if (role == Role.SYNTHESIZER) {
          r.problem(
              path(at, "measures"),
              "a synthesizer measures nothing (measures belongs to a measurer)");
        }
        for (int i = 0; i < m.size(); i++) {
          if (worldOutputs != null && !worldOutputs.contains(m.get(i))) {
            r.problem(
                path(at, "measures", i),
                "the world has no output '"
                    + m.get(i)
                    + "'"
                    + r.didYouMean(m.get(i), worldOutputs)
                    + " (outputs: "
                    + worldOutputs
                    + ")");
          }
        }
      }
    } else if (role == Role.MEASURER) {
      r.problem(
          path(at, "measures"),
          "missing measures (expected the world outputs this instrument reports, e.g. [peak, fwhm])");
    }
    Map<String, Double> noise = r.numbers(section.get("noise"), path(at, "noise"));
    Map<String, Double> drift = r.numbers(section.get("drift"), path(at, "drift"));
    if (role == Role.MEASURER) {
      for (String k : noise.keySet()) {
        if (!measures.contains(k)) {
          r.problem(
              path(at, "noise", k),
              "noise for '"
                  + k
                  + "', which this instrument does not measure"
                  + r.didYouMean(k, measures)
                  + " (measures: "
                  + measures
                  + ")");
        }
      }
    }
    for (String k : drift.keySet()) {
      if (!measures.contains(k)) {
        r.problem(
            path(at, "drift", k),
            "drift for '"
                + k
                + "', which this instrument does not measure"
                + r.didYouMean(k, measures));
      }
    }
    java.util.Optional<Boolean> discoverable = java.util.Optional.empty();
    if (section.containsKey("discoverable")) {
      if (section.get("discoverable") instanceof Boolean b) discoverable = java.util.Optional.of(b);
      else
        r.problem(
            path(at, "discoverable"),
            "discoverable must be true or false, got " + describe(section.get("discoverable")));
    }
    return role == null
        ? null
        : new Instrument(name, role, duration, measures, noise, drift, discoverable);
  }

  private static void checkProtocol(TreeReader r, String name, Object section) {
    if (!(section instanceof Map<?, ?> m)) {
      return;
    }
    Object driver = m.get("driver");
    if (!(driver instanceof String d) || !PROTOCOLS.contains(d)) {
      r.problem(
          List.of("instruments", name, "driver"),
          "the virtual lab plays only opcua, lads, serial, mqtt and sila2 instruments, got "
              + describe(driver));
      return;
    }
    String key =
        switch (d) {
          case "opcua", "lads" -> "endpoint";
          case "serial" -> "port";
          case "sila2" -> "server";
          default -> "broker";
        };
    // a SiLA 2 server found by name is played, discoverable, at an address of its own choosing
    if ("sila2".equals(d) && m.get("discover") instanceof String wanted && !wanted.isBlank())
      return;
    if (!(m.get(key) instanceof String s) || s.isBlank()) {
      r.problem(
          List.of("instruments", name, key),
          "the virtual lab needs the instrument's " + key + " to play it there");
    }
  }

  private static boolean securedOpcUa(Object section) {
    return section instanceof Map<?, ?> m
        && ("opcua".equals(m.get("driver")) || "lads".equals(m.get("driver")))
        && m.get("security") instanceof Map<?, ?> security
        && security.get("policy") != null
        && !"None".equals(security.get("policy"));
  }
}
