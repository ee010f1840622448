package io.labloop.simulators;

import io.labloop.settings.SettingsProblem;
import io.labloop.settings.Spelling;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lab file's {@code simulation:} block, read and checked. The keys accepted (and nothing else)
 * are listed in this package's documentation; {@link #check} reports every problem with its key
 * path so that {@code labloop validate} can point at the line and column.
 *
 * @param seed makes noise, drift and faults repeatable
 * @param timeScale real time per nominal time of an operation (0 = instant)
 * @param world which response model the world follows
 * @param instruments simulated instruments by name (the names of the lab's {@code instruments:})
 * @param faults fault rates per instrument
 * @param broker {@code embedded} (start an MQTT 5 broker at the address the lab names) or {@code
 *     external} (use the broker already running there)
 * @param trustClients which client certificates the OPC UA servers accept
 */
public record SimulationSettings(
    long seed,
    double timeScale,
    WorldSpec world,
    Map<String, Instrument> instruments,
    Map<String, Map<Fault, Double>> faults,
    String broker,
    ClientTrust trustClients) {

  public SimulationSettings {
    instruments = Map.copyOf(instruments);
    faults = Map.copyOf(faults);
  }

  /** Which client certificates the virtual lab's OPC UA servers accept on a secured endpoint. */
  public enum ClientTrust {
    /** Every one ({@code trust-clients: all}, the default): a test device that needs no set-up. */
    ALL("all"),
    /**
     * Only those in the work folder's {@code pki/trusted/certs} ({@code trust-clients:
     * trust-list}), as a real server does; a refused one is saved in {@code pki/rejected}.
     */
    TRUST_LIST("trust-list");

    private final String key;

    ClientTrust(String key) {
      this.key = key;
    }

    /** The value as written in the lab file. */
    public String key() {
      return key;
    }
  }

  /** What a simulated instrument does with the samples of the world. */
  public enum Role {
    /** Makes samples: its commands take the world's inputs and return a sample id. */
    SYNTHESIZER,
    /** Measures samples: its commands take a sample id and return some of the world's outputs. */
    MEASURER
  }

  /**
   * One simulated instrument.
   *
   * @param name its name in the lab file
   * @param role what it does
   * @param duration nominal time of one operation (before the time scale)
   * @param measures for a measurer, the world outputs it reports
   * @param noise standard deviation of the Gaussian noise per output (a measurer) or per input (a
   *     synthesizer: the achieved condition differs from the requested one by this much)
   * @param drift per output, how much its reading shifts with every measurement (slow drift)
   */
  public record Instrument(
      String name,
      Role role,
      Duration duration,
      List<String> measures,
      Map<String, Double> noise,
      Map<String, Double> drift) {
    public Instrument {
      measures = List.copyOf(measures);
      noise = Map.copyOf(noise);
      drift = Map.copyOf(drift);
    }
  }

  /** The simulation block could not be read; {@link #problems()} says why. */
  public static final class InvalidSimulation extends IllegalArgumentException {
    private final transient List<SettingsProblem> problems;

    InvalidSimulation(List<SettingsProblem> problems) {
      super(
          problems.size() == 1
              ? problems.get(0).toString()
              : problems.size() + " problems in the simulation block, first: " + problems.get(0));
      this.problems = List.copyOf(problems);
    }

    public List<SettingsProblem> problems() {
      return problems;
    }
  }

  static final Set<String> TOP_KEYS =
      Set.of("seed", "time-scale", "world", "instruments", "faults", "broker", "trust-clients");
  static final Set<String> WORLD_KEYS =
      Set.of("model", "expression", "dataset", "inputs", "outputs", "function", "output");
  static final Set<String> INSTRUMENT_KEYS =
      Set.of("role", "measures", "duration", "noise", "drift");
  static final Set<String> PROTOCOLS = Set.of("opcua", "lads", "serial", "mqtt", "sila2");

  /**
   * Every problem of the lab file's simulation block (empty when it is fine or absent: real labs
   * have none).
   */
  public static List<SettingsProblem> check(Map<String, Object> labTree) {
    List<SettingsProblem> problems = new ArrayList<>();
    read(labTree, problems);
    return problems;
  }

  /**
   * Reads the simulation block.
   *
   * @throws InvalidSimulation when it is missing or has problems
   */
  public static SimulationSettings from(Map<String, Object> labTree) {
    List<SettingsProblem> problems = new ArrayList<>();
    if (!(labTree.get("simulation") instanceof Map<?, ?>)) {
      problems.add(
          new SettingsProblem(
              List.of("simulation"),
              "the lab file has no simulation block (expected simulation: { world: ..., instruments: ... })"));
      throw new InvalidSimulation(problems);
    }
    SimulationSettings settings = read(labTree, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSimulation(problems);
    }
    return settings;
  }

  private static SimulationSettings read(
      Map<String, Object> labTree, List<SettingsProblem> problems) {
    Object block = labTree.get("simulation");
    if (block == null) {
      return null;
    }
    Reader r = new Reader(problems);
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
      world = readWorld(r, sim.get("world"), path(at, "world"));
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
    return new SimulationSettings(
        seed, timeScale, world, instruments, faults, broker, trustClients);
  }

  private static WorldSpec readWorld(Reader r, Object value, List<Object> at) {
    Map<String, Object> world = r.map(value, at);
    if (world == null) {
      return null;
    }
    r.unknownKeys(world, WORLD_KEYS, at);
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("model", "expression", "dataset", "function")) {
      if (world.containsKey(k)) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      r.problem(
          at,
          kinds.isEmpty()
              ? "the world needs one of model, expression, dataset or function"
              : "the world takes only one of model, expression, dataset or function, got " + kinds);
      return null;
    }
    String kind = kinds.get(0);
    Set<String> allowed =
        switch (kind) {
          case "dataset" -> Set.of("dataset", "inputs", "outputs");
          case "function" -> Set.of("function", "output");
          default -> Set.of(kind);
        };
    for (String k : world.keySet()) {
      if (WORLD_KEYS.contains(k) && !allowed.contains(k)) {
        r.problem(
            path(at, k),
            "'"
                + k
                + "' does not go with a "
                + kind
                + " world (expected "
                + new java.util.TreeSet<>(allowed)
                + ")");
      }
    }
    switch (kind) {
      case "model" -> {
        Object name = world.get("model");
        if (!(name instanceof String s) || !WorldModels.builtInModels().contains(s)) {
          r.problem(
              path(at, "model"),
              "unknown world model "
                  + describe(name)
                  + " (expected one of "
                  + WorldModels.builtInModels()
                  + ")");
          return null;
        }
        return new WorldSpec.BuiltIn(s);
      }
      case "expression" -> {
        Map<String, Object> exprs = r.map(world.get("expression"), path(at, "expression"));
        if (exprs == null) {
          return null;
        }
        if (exprs.isEmpty()) {
          r.problem(
              path(at, "expression"), "expected at least one output, e.g. { y: \"x1 * x2\" }");
          return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Object> e : exprs.entrySet()) {
          if (!(e.getValue() instanceof String || e.getValue() instanceof Number)) {
            r.problem(
                path(at, "expression", e.getKey()),
                "expected an expression (text), got " + describe(e.getValue()));
            ok = false;
            continue;
          }
          String text = String.valueOf(e.getValue());
          String problem = WorldModels.expressionProblem(text);
          if (problem != null) {
            r.problem(path(at, "expression", e.getKey()), problem);
            ok = false;
          }
          out.put(e.getKey(), text);
        }
        return ok ? new WorldSpec.Expressions(out) : null;
      }
      case "dataset" -> {
        Object file = world.get("dataset");
        List<String> inputs = r.names(world.get("inputs"), path(at, "inputs"), "inputs");
        List<String> outputs = r.names(world.get("outputs"), path(at, "outputs"), "outputs");
        if (!(file instanceof String s) || s.isBlank()) {
          r.problem(path(at, "dataset"), "expected the path of a CSV file, got " + describe(file));
          return null;
        }
        return inputs == null || outputs == null ? null : new WorldSpec.Dataset(s, inputs, outputs);
      }
      default -> {
        Object name = world.get("function");
        String output = "y";
        if (world.containsKey("output")) {
          if (world.get("output") instanceof String o && !o.isBlank()) {
            output = o;
          } else {
            r.problem(
                path(at, "output"),
                "expected the output's name, got " + describe(world.get("output")));
          }
        }
        if (!(name instanceof String s)
            || !WorldModels.functions().contains(s.toLowerCase(Locale.ROOT))) {
          r.problem(
              path(at, "function"),
              "unknown benchmark function "
                  + describe(name)
                  + " (expected one of "
                  + WorldModels.functions()
                  + ")");
          return null;
        }
        return new WorldSpec.Function(s.toLowerCase(Locale.ROOT), output);
      }
    }
  }

  private static Instrument readInstrument(
      Reader r, String name, Object value, List<Object> at, List<String> worldOutputs) {
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
    return role == null ? null : new Instrument(name, role, duration, measures, noise, drift);
  }

  private static void checkProtocol(Reader r, String name, Object section) {
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

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static List<Object> path(List<Object> base, Object... more) {
    List<Object> p = new ArrayList<>(base);
    p.addAll(List.of(more));
    return p;
  }

  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return String.valueOf(value);
  }

  /** Reads parts of the tree, collecting problems instead of failing on the first. */
  private static final class Reader {
    private final List<SettingsProblem> problems;

    Reader(List<SettingsProblem> problems) {
      this.problems = problems;
    }

    void problem(List<Object> at, String message) {
      problems.add(new SettingsProblem(at, message));
    }

    Map<String, Object> map(Object value, List<Object> at) {
      if (value instanceof Map<?, ?> m) {
        return stringKeys(m);
      }
      problem(at, "expected a mapping of keys to values, got " + describe(value));
      return null;
    }

    void unknownKeys(Map<String, Object> section, Set<String> known, List<Object> at) {
      for (String k : section.keySet()) {
        if (!known.contains(k)) {
          problem(
              path(at, k),
              "unknown key '"
                  + k
                  + "'"
                  + didYouMean(k, known)
                  + " (expected one of "
                  + new java.util.TreeSet<>(known)
                  + ")");
        }
      }
    }

    List<String> names(Object value, List<Object> at, String what) {
      if (!(value instanceof List<?> list)) {
        problem(
            at,
            value == null
                ? "missing " + what + " (expected a list of names)"
                : what + " must be a list of names, got " + describe(value));
        return null;
      }
      if (list.isEmpty()) {
        problem(at, what + " must name at least one");
        return null;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof String s && !s.isBlank()) {
          out.add(s);
        } else {
          problem(path(at, i), "expected a name, got " + describe(list.get(i)));
        }
      }
      return out.size() == list.size() ? out : null;
    }

    Map<String, Double> numbers(Object value, List<Object> at) {
      Map<String, Double> out = new LinkedHashMap<>();
      if (value == null) {
        return out;
      }
      Map<String, Object> m = map(value, at);
      if (m == null) {
        return out;
      }
      for (Map.Entry<String, Object> e : m.entrySet()) {
        if (e.getValue() instanceof Number n
            && Double.isFinite(n.doubleValue())
            && n.doubleValue() >= 0) {
          out.put(e.getKey(), n.doubleValue());
        } else {
          problem(path(at, e.getKey()), "expected a number >= 0, got " + describe(e.getValue()));
        }
      }
      return out;
    }

    /** {@code (did you mean 'x'?)} when a known name is a likely slip, else nothing. */
    String didYouMean(String key, java.util.Collection<String> known) {
      return Spelling.closest(key, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }
  }
}
