package io.labloop.orchestrator.config;

import io.labloop.drivers.Drivers;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.config.YamlNode.MapNode;
import io.labloop.orchestrator.config.YamlNode.Scalar;
import io.labloop.settings.SettingsProblem;
import io.labloop.settings.Spelling;
import io.labloop.simulators.SimulationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code lab.yaml} tree into a {@link LabConfig}. The orchestrator's own keys (commands'
 * timeout, idempotent, outputs and requires; limits, capacity, abort, health) are checked here;
 * each driver checks the keys of its own protocol through {@link Drivers#check} and the virtual lab
 * its {@code simulation:} block, and their problems are mapped back to lines.
 */
final class LabReader {

  static final List<String> TOP_KEYS =
      List.of("lab", "description", "instruments", "simulation", "agents");
  static final List<String> LIMIT_KEYS = List.of("min", "max", "unit", "description");

  /**
   * The built-in drivers: until their factory is on the class path their own keys are not checked.
   */
  static final Set<String> BUILT_IN_DRIVERS = Set.of("opcua", "lads", "serial", "mqtt");

  /** The watchdog's limit for a command that does not set {@code timeout:}. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([A-Za-z][A-Za-z0-9]*)>");

  private final Drivers drivers;

  LabReader(Drivers drivers) {
    this.drivers = drivers;
  }

  /** Empty when problems were reported. */
  Optional<LabConfig> read(Path file, YamlNode root, Report report) {
    int before = report.count();
    Optional<Fields> top = Fields.of(root, report, "a map starting with 'lab: NAME'");
    if (top.isEmpty()) return Optional.empty();
    Fields lab = top.get();
    lab.allowOnly(TOP_KEYS);
    lab.require("lab", "the lab's name, e.g. lab: sim-lab");
    Optional<String> name = lab.string("lab");
    Map<String, InstrumentConfig> instruments = new LinkedHashMap<>();
    if (lab.require("instruments", "a map of instruments by name")) {
      lab.section("instruments", "a map of instruments by name")
          .ifPresent(
              section -> {
                if (section.map().entries().isEmpty())
                  report.error(section.map(), "no instruments (expected at least one)");
                section
                    .map()
                    .entries()
                    .forEach(
                        (n, e) ->
                            instrument(n, e.value(), report).ifPresent(i -> instruments.put(n, i)));
              });
    }
    // Instruments read without problems are checked further, whatever is wrong elsewhere, so
    // that one run reports everything; one with its own problems is not checked twice.
    Set<String> declared =
        lab.node("instruments")
            .filter(n -> n instanceof MapNode)
            .map(n -> ((MapNode) n).entries().keySet())
            .orElse(Set.of());
    checkInterlocks(root, instruments, declared, report);
    checkDrivers(root, instruments, report);
    checkAgents(lab, instruments, report);
    Optional<Map<String, Object>> simulation = Optional.empty();
    Optional<YamlNode> sim = lab.node("simulation");
    if (sim.isPresent()) {
      simulation(root, file.toAbsolutePath().getParent(), report);
      if (sim.get() instanceof MapNode m) simulation = Optional.of(asMap(m.plain()));
    }
    if (report.count() != before || name.isEmpty()) return Optional.empty();
    return Optional.of(
        new LabConfig(file, name.get(), instruments, simulation, asMap(root.plain())));
  }

  private Optional<InstrumentConfig> instrument(String name, YamlNode node, Report report) {
    Optional<Fields> f = Fields.of(node, report, "a map with driver: and commands:");
    if (f.isEmpty()) return Optional.empty();
    Fields in = f.get();
    int before = report.count();
    in.require("driver", "the instrument's protocol: opcua, serial, mqtt or a plug-in's type");
    Optional<String> driver = in.string("driver");
    Map<String, CommandConfig> commands = new LinkedHashMap<>();
    if (in.require("commands", "a map of the commands the instrument accepts")) {
      in.section("commands", "a map of the commands the instrument accepts")
          .ifPresent(
              cs -> {
                if (cs.map().entries().isEmpty())
                  report.error(cs.map(), "no commands (expected at least one)");
                cs.map()
                    .entries()
                    .forEach(
                        (c, e) ->
                            command(c, e.value(), report).ifPresent(cmd -> commands.put(c, cmd)));
              });
    }
    Map<String, Limit> limits = new LinkedHashMap<>();
    in.section("limits", "a map of argument name to { min, max }")
        .ifPresent(
            ls ->
                ls.map()
                    .entries()
                    .forEach(
                        (arg, e) ->
                            limit(arg, e.value(), report).ifPresent(l -> limits.put(arg, l))));
    long capacity = in.whole("capacity", 1).orElse(1);
    Optional<String> abort = in.string("abort");
    Set<String> declared =
        in.node("commands")
            .filter(n -> n instanceof MapNode)
            .map(n -> ((MapNode) n).entries().keySet())
            .orElse(Set.of());
    abort.ifPresent(
        a -> {
          if (!declared.isEmpty() && !declared.contains(a)) {
            report.error(
                in.node("abort").orElseThrow(),
                "abort command '"
                    + a
                    + "' is not a command of "
                    + name
                    + " ("
                    + Spelling.hint(a, declared)
                    + ")");
          }
        });
    // The health probe is sent again and again, whenever the instrument is idle: it must be a
    // command that is safe to repeat, which the lab file says with idempotent: true.
    Optional<String> health = in.string("health");
    health.ifPresent(
        h -> {
          YamlNode where = in.node("health").orElseThrow();
          if (!declared.isEmpty() && !declared.contains(h)) {
            report.error(
                where,
                "health command '"
                    + h
                    + "' is not a command of "
                    + name
                    + " ("
                    + Spelling.hint(h, declared)
                    + ")");
          } else if (commands.containsKey(h) && !commands.get(h).idempotent()) {
            report.error(
                where,
                "health command '"
                    + h
                    + "' is not idempotent (expected a command that is safe to send again and again,"
                    + " such as *IDN? or a status read, marked idempotent: true)");
          }
        });
    if (report.count() != before || driver.isEmpty()) return Optional.empty();
    InstrumentSpec spec =
        new InstrumentSpec(
            name, driver.get(), asMap(node.plain()), Path.of("labloop-data", "instruments", name));
    return Optional.of(
        new InstrumentConfig(
            name,
            driver.get(),
            spec,
            commands,
            limits,
            (int) Math.min(capacity, Integer.MAX_VALUE),
            abort,
            health));
  }

  private Optional<CommandConfig> command(String name, YamlNode node, Report report) {
    Optional<Fields> f = Fields.of(node, report, "a map describing the command");
    if (f.isEmpty()) return Optional.empty();
    Fields c = f.get();
    int before = report.count();
    Duration timeout = c.duration("timeout").orElse(DEFAULT_TIMEOUT);
    boolean idempotent = c.flag("idempotent").orElse(false);
    Set<String> outputs = new LinkedHashSet<>();
    c.list("outputs", "a list of output names")
        .ifPresent(
            items -> {
              for (YamlNode item : items) {
                Optional<String> out =
                    item instanceof MapNode m && m.has("name")
                        ? new Fields(m, report).string("name")
                        : c.text(item, "outputs");
                out.ifPresent(
                    o -> {
                      if (!outputs.add(o))
                        report.error(
                            item, "output '" + o + "' is listed twice (expected each output once)");
                    });
              }
            });
    // A serial command's outputs are the named groups of its reply pattern.
    c.node("expect")
        .ifPresent(
            e -> {
              if (e instanceof Scalar s && s.value() instanceof String regex) {
                Matcher m = NAMED_GROUP.matcher(regex);
                while (m.find()) outputs.add(m.group(1));
              }
            });
    Map<String, Object> requires = new LinkedHashMap<>();
    c.section("requires", "a map of instrument.Variable to the value it must have")
        .ifPresent(r -> r.map().entries().forEach((k, e) -> requires.put(k, e.value().plain())));
    if (report.count() != before) return Optional.empty();
    return Optional.of(
        new CommandConfig(name, timeout, idempotent, new ArrayList<>(outputs), requires));
  }

  private Optional<Limit> limit(String argument, YamlNode node, Report report) {
    Optional<Fields> f = Fields.of(node, report, "a map with min: and/or max:");
    if (f.isEmpty()) return Optional.empty();
    Fields l = f.get();
    l.allowOnly(LIMIT_KEYS);
    int before = report.count();
    Optional<Double> min = l.number("min");
    Optional<Double> max = l.number("max");
    if (!l.has("min") && !l.has("max"))
      report.error(
          node, "limit for '" + argument + "' has neither min nor max (expected at least one)");
    if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
      report.error(
          l.node("max").orElseThrow(),
          "limit max "
              + Numbers.text(max.get())
              + " is below min "
              + Numbers.text(min.get())
              + " (expected min <= max)");
    }
    if (report.count() != before) return Optional.empty();
    return Optional.of(
        new Limit(
            argument,
            min.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
            max.map(OptionalDouble::of).orElse(OptionalDouble.empty())));
  }

  /**
   * {@code requires: { robot.Door: Closed }}: the instrument exists and, if it lists its variables,
   * has that one.
   */
  private static void checkInterlocks(
      YamlNode root,
      Map<String, InstrumentConfig> instruments,
      Set<String> declared,
      Report report) {
    for (InstrumentConfig in : instruments.values()) {
      for (CommandConfig cmd : in.commands().values()) {
        for (String key : cmd.requires().keySet()) {
          YamlNode.Pos at =
              root.keyPosition(
                  List.of("instruments", in.name(), "commands", cmd.name(), "requires", key));
          int dot = key.indexOf('.');
          if (dot <= 0 || dot == key.length() - 1) {
            report.error(
                at,
                "interlock '"
                    + key
                    + "' does not name a variable (expected instrument.Variable, e.g. robot.Door)");
            continue;
          }
          String instrument = key.substring(0, dot);
          String variable = key.substring(dot + 1);
          InstrumentConfig owner = instruments.get(instrument);
          if (owner == null) {
            if (!declared.contains(instrument)) {
              report.error(
                  at,
                  "interlock on unknown instrument '"
                      + instrument
                      + "' ("
                      + Spelling.hint(instrument, declared)
                      + ")");
            }
            continue;
          }
          if (owner.spec().section().get("variables") instanceof Map<?, ?> vars
              && !vars.containsKey(variable)) {
            List<String> known = vars.keySet().stream().map(String::valueOf).toList();
            report.error(
                at,
                "interlock on unknown variable '"
                    + variable
                    + "' of "
                    + instrument
                    + " ("
                    + Spelling.hint(variable, known)
                    + ")");
          }
        }
      }
    }
  }

  /**
   * {@code agent: NAME} on an instrument is a valid agent name, and the {@code agents:} block (the
   * broker where the daemon meets the agents) is there when one is used and has only its own keys.
   */
  private static void checkAgents(
      Fields lab, Map<String, InstrumentConfig> instruments, Report report) {
    boolean used = false;
    for (InstrumentConfig in : instruments.values()) {
      Object agent = in.spec().section().get("agent");
      if (agent == null) continue;
      used = true;
      Optional<String> problem =
          io.labloop.orchestrator.agent.AgentTopics.problem(String.valueOf(agent));
      if (problem.isPresent())
        report.error(
            lab.section("instruments", "")
                .flatMap(f -> f.section(in.name(), ""))
                .orElseThrow()
                .node("agent")
                .orElseThrow(),
            problem.get());
    }
    Optional<Fields> block = lab.section("agents", "a map with broker: tcp://HOST:1883");
    if (block.isEmpty()) {
      if (used && !lab.has("agents"))
        report.error(
            lab.map().pos(),
            "instruments are marked agent: but there is no agents: block (expected agents: {"
                + " broker: tcp://HOST:1883 } naming the broker the daemon and the agents meet on)");
      return;
    }
    Fields a = block.get();
    a.allowOnly(List.of("broker", "username", "password", "tls", "heartbeat", "description"));
    if (a.require("broker", "the broker's address, tcp://HOST:1883 or ssl://HOST:8883")) {
      a.string("broker")
          .ifPresent(
              b -> {
                if (!b.startsWith("tcp://") && !b.startsWith("ssl://"))
                  report.error(
                      a.node("broker").orElseThrow(),
                      "broker '" + b + "' must start with tcp:// or ssl://");
              });
    }
    a.string("username");
    a.string("password");
    a.duration("heartbeat");
    a.section("tls", "a map with ca:, cert: and key: (PEM files)")
        .ifPresent(t -> t.allowOnly(List.of("ca", "cert", "key")));
  }

  private void checkDrivers(
      YamlNode root, Map<String, InstrumentConfig> instruments, Report report) {
    for (InstrumentConfig in : instruments.values()) {
      List<Object> base = List.of("instruments", in.name());
      if (!drivers.types().contains(in.driver())) {
        if (!BUILT_IN_DRIVERS.contains(in.driver())) {
          Set<String> known = new LinkedHashSet<>(BUILT_IN_DRIVERS);
          known.addAll(drivers.types());
          report.error(
              root.find(List.of("instruments", in.name(), "driver")),
              "unknown driver '" + in.driver() + "' (" + Spelling.hint(in.driver(), known) + ")");
        }
        continue;
      }
      for (SettingsProblem p : drivers.check(in.spec())) {
        List<Object> path = new ArrayList<>(base);
        path.addAll(p.path());
        boolean aboutKey = aboutKey(root, path, p.message());
        // Drivers word their messages relative to the key; name it, since the position alone
        // does not say which key of a flow map { a: 1, b: 2 } is meant.
        String key = p.path().isEmpty() ? "" : String.valueOf(p.path().get(p.path().size() - 1));
        String message =
            aboutKey || key.isEmpty() || p.message().contains("'" + key + "'")
                ? p.message()
                : key + ": " + p.message();
        report.error(aboutKey ? root.keyPosition(path) : root.find(path).pos(), message);
      }
    }
  }

  /**
   * The simulation block: the virtual lab checks its own keys ({@link SimulationSettings#check},
   * problems keyed by their path from the file's root); the dataset file's existence is checked
   * here because only the reader knows where the lab file is.
   */
  private static void simulation(YamlNode root, Path labDir, Report report) {
    for (SettingsProblem p : SimulationSettings.check(asMap(root.plain()))) {
      report.error(
          aboutKey(root, p.path(), p.message())
              ? root.keyPosition(p.path())
              : root.find(p.path()).pos(),
          p.message());
    }
    YamlNode dataset = root.find(List.of("simulation", "world", "dataset"));
    if (dataset instanceof Scalar s
        && s.value() instanceof String d
        && root.find(List.of("simulation", "world")) != dataset
        && labDir != null
        && !Files.isRegularFile(labDir.resolve(d))) {
      report.error(
          dataset, "dataset '" + d + "' not found (expected a CSV file, relative to the lab file)");
    }
  }

  /**
   * Whether a problem found by another module in plain values is best shown at the key (an unknown
   * key, or a whole section that is wrong) rather than at a scalar value.
   */
  private static boolean aboutKey(YamlNode root, List<?> path, String message) {
    return message.startsWith("unknown key") || !(root.find(path) instanceof Scalar);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object plain) {
    return (Map<String, Object>) plain;
  }
}
