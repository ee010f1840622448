package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.TlsSettings;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads {@code labloop.yaml}. Every problem is reported as {@code FILE:LINE:COLUMN: error: ...}
 * (all of them, not only the first), through the same {@link ConfigException} as lab and campaign
 * files; {@code ${NAME}} and {@code ${NAME:-default}} in values are filled from the environment so
 * that passwords stay out of the file. Relative paths are relative to the file.
 */
public final class DaemonConfigReader {
  private static final Pattern VAR =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(B|KiB|MiB|KB|MB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final Map<String, String> env;
  private String file;
  private final List<ConfigProblem> problems = new ArrayList<>();

  public DaemonConfigReader(Map<String, String> env) {
    this.env = env;
  }

  /**
   * @throws ConfigException with every problem of the file
   */
  public DaemonConfig read(Path path) {
    file = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigProblem(file, 1, 1, "cannot read the file: " + e.getMessage())));
    }
    Node root;
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(file).build();
      root =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
              .getSingleNode()
              .orElse(null);
    } catch (MarkedYamlEngineException e) {
      var m = e.getProblemMark();
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  file,
                  m.map(x -> x.getLine() + 1).orElse(1),
                  m.map(x -> x.getColumn() + 1).orElse(1),
                  e.getProblem())));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(new ConfigProblem(file, 1, 1, e.getMessage())));
    }
    Path dir = path.toAbsolutePath().getParent();
    DaemonConfig d = DaemonConfig.defaults(dir.resolve("lab.yaml"), dir.resolve("labloop-data"));
    if (root == null) {
      problems.add(
          new ConfigProblem(file, 1, 1, "the file is empty (expected at least 'lab: FILE')"));
      throw new ConfigException(problems);
    }
    Map<String, NodeTuple> top =
        map(
            root,
            Set.of(
                "lab",
                "campaigns",
                "data",
                "sim",
                "api",
                "store",
                "schedule",
                "shutdown-grace",
                "name"));
    if (top == null) throw new ConfigException(problems);
    Path lab = top.containsKey("lab") ? path(top.get("lab"), dir) : null;
    if (lab == null && !top.containsKey("lab"))
      problem(
          root,
          "missing key 'lab' (expected the lab file the daemon runs, e.g. lab: labs/sim-lab.yaml)");
    Path campaigns = top.containsKey("campaigns") ? path(top.get("campaigns"), dir) : null;
    Path data = top.containsKey("data") ? path(top.get("data"), dir) : d.data();
    boolean sim = top.containsKey("sim") && bool(top.get("sim"));
    String daemonName = top.containsKey("name") ? daemonName(top.get("name")) : "";
    Duration grace =
        top.containsKey("shutdown-grace") ? duration(top.get("shutdown-grace")) : d.shutdownGrace();

    String bind = d.bind();
    int port = d.port();
    long maxBody = d.maxBody();
    Optional<TlsSettings> tls = Optional.empty();
    Map<String, String> tokens = new LinkedHashMap<>();
    if (top.containsKey("api")) {
      Map<String, NodeTuple> api =
          map(top.get("api").getValueNode(), Set.of("bind", "port", "max-body", "tls", "tokens"));
      if (api != null) {
        if (api.containsKey("bind")) bind = scalar(api.get("bind"));
        if (api.containsKey("port")) port = port(api.get("port"));
        if (api.containsKey("max-body")) maxBody = size(api.get("max-body"));
        if (api.containsKey("tls")) {
          Map<String, NodeTuple> t =
              map(api.get("tls").getValueNode(), Set.of("keystore", "password"));
          if (t != null) {
            Path ks = t.containsKey("keystore") ? path(t.get("keystore"), dir) : null;
            if (ks == null)
              problem(
                  api.get("tls").getValueNode(), "tls needs 'keystore' (expected a PKCS#12 file)");
            else if (!Files.isReadable(ks))
              problem(t.get("keystore").getValueNode(), "keystore " + ks + " cannot be read");
            String pw = t.containsKey("password") ? scalar(t.get("password")) : "";
            if (ks != null) tls = Optional.of(new TlsSettings(ks, pw));
          }
        }
        if (api.containsKey("tokens")) {
          Map<String, NodeTuple> ts = map(api.get("tokens").getValueNode(), null);
          if (ts != null) {
            ts.forEach(
                (name, tuple) -> {
                  if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                    problem(
                        tuple.getKeyNode(),
                        "token name '" + name + "' (expected letters, digits, '.', '_' or '-')");
                    return;
                  }
                  Map<String, NodeTuple> one = map(tuple.getValueNode(), Set.of("sha256"));
                  if (one == null) return;
                  if (!one.containsKey("sha256")) {
                    problem(
                        tuple.getValueNode(),
                        "token '"
                            + name
                            + "' needs 'sha256' (expected the hex SHA-256 of the token: printf %s TOKEN | sha256sum)");
                    return;
                  }
                  String hex = scalar(one.get("sha256"));
                  if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
                    problem(
                        one.get("sha256").getValueNode(),
                        "sha256 of token '" + name + "' (expected 64 hex digits)");
                  } else {
                    tokens.put(name, hex);
                  }
                });
          }
        }
      }
    }
    Optional<DaemonConfig.StoreUrl> store = Optional.empty();
    if (top.containsKey("store")) {
      Map<String, NodeTuple> s =
          map(top.get("store").getValueNode(), Set.of("url", "user", "password"));
      if (s != null) {
        String url = s.containsKey("url") ? scalar(s.get("url")) : null;
        if (url == null || !url.startsWith("jdbc:")) {
          problem(
              s.containsKey("url") ? s.get("url").getValueNode() : top.get("store").getValueNode(),
              "store url (expected a JDBC URL, e.g. jdbc:postgresql://db.lab/labloop)");
        } else {
          store =
              Optional.of(
                  new DaemonConfig.StoreUrl(
                      url,
                      s.containsKey("user") ? scalar(s.get("user")) : "",
                      s.containsKey("password") ? scalar(s.get("password")) : ""));
        }
      }
    }
    Duration health = d.healthEvery();
    TimeZone zone = d.zone();
    List<DaemonConfig.Calibration> calibrations = new ArrayList<>();
    if (top.containsKey("schedule")) {
      Map<String, NodeTuple> s =
          map(
              top.get("schedule").getValueNode(),
              Set.of("health-check", "time-zone", "calibrations"));
      if (s != null) {
        if (s.containsKey("health-check")) health = duration(s.get("health-check"));
        if (s.containsKey("time-zone")) {
          String z = scalar(s.get("time-zone"));
          try {
            zone = TimeZone.getTimeZone(ZoneId.of(z));
          } catch (RuntimeException e) {
            problem(
                s.get("time-zone").getValueNode(),
                "time zone '" + z + "' (expected e.g. Europe/Berlin or UTC)");
          }
        }
        if (s.containsKey("calibrations")) {
          Node list = s.get("calibrations").getValueNode();
          if (!(list instanceof SequenceNode seq)) {
            problem(list, "calibrations (expected a list of { instrument, command, cron })");
          } else {
            for (Node item : seq.getValue()) {
              Map<String, NodeTuple> c = map(item, Set.of("instrument", "command", "cron"));
              if (c == null) continue;
              if (!c.containsKey("instrument")
                  || !c.containsKey("command")
                  || !c.containsKey("cron")) {
                problem(item, "a calibration needs instrument, command and cron");
                continue;
              }
              calibrations.add(
                  new DaemonConfig.Calibration(
                      scalar(c.get("instrument")),
                      scalar(c.get("command")),
                      scalar(c.get("cron"))));
            }
          }
        }
      }
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return new DaemonConfig(
        lab,
        campaigns != null ? campaigns : lab.toAbsolutePath().getParent(),
        data,
        sim,
        bind,
        port,
        maxBody,
        tls,
        tokens,
        store,
        health,
        calibrations,
        zone,
        grace,
        daemonName);
  }

  /** {@code name:}: what the store and the API call this daemon. */
  private String daemonName(NodeTuple t) {
    String v = scalar(t);
    if (v == null || !v.matches("[A-Za-z0-9_.:@-]{1,64}")) {
      problem(
          t.getValueNode(),
          "daemon name '"
              + v
              + "' (expected 1 to 64 letters, digits or '.', '_', ':', '@', '-', e.g. daemon-pc2)");
      return "";
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------

  private Map<String, NodeTuple> map(Node node, Set<String> known) {
    if (!(node instanceof MappingNode m)) {
      problem(node, "expected a map of settings");
      return null;
    }
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (known != null && !known.contains(key)) {
        problem(
            t.getKeyNode(),
            "unknown key '"
                + key
                + "' (expected one of "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
        continue;
      }
      if (out.put(key, t) != null) problem(t.getKeyNode(), "key '" + key + "' is given twice");
    }
    return out;
  }

  private String scalar(NodeTuple t) {
    Node n = t.getValueNode();
    if (!(n instanceof ScalarNode s)) {
      problem(n, "expected a single value");
      return null;
    }
    Matcher m = VAR.matcher(s.getValue());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      if (v == null) v = m.group(2);
      if (v == null) {
        problem(
            n,
            "environment variable "
                + m.group(1)
                + " is not set (expected it set, or ${"
                + m.group(1)
                + ":-default})");
        v = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Path path(NodeTuple t, Path dir) {
    String s = scalar(t);
    return s == null || s.isBlank() ? null : dir.resolve(s).normalize();
  }

  private boolean bool(NodeTuple t) {
    String s = scalar(t);
    if ("true".equals(s)) return true;
    if (!"false".equals(s)) problem(t.getValueNode(), "expected true or false");
    return false;
  }

  private int port(NodeTuple t) {
    String s = scalar(t);
    try {
      int p = Integer.parseInt(s);
      if (p >= 0 && p <= 65535) return p;
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(
        t.getValueNode(),
        "port '" + s + "' (expected a whole number 0-65535; 0 picks a free port)");
    return 0;
  }

  private long size(NodeTuple t) {
    String s = scalar(t);
    Matcher m = s == null ? null : SIZE.matcher(s.strip());
    if (m == null || !m.matches()) {
      problem(
          t.getValueNode(),
          "size '" + s + "' (expected bytes, or a number with KiB or MiB, e.g. 1MiB)");
      return 1 << 20;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long bytes =
        switch (unit) {
          case "kib" -> n << 10;
          case "mib" -> n << 20;
          case "kb" -> n * 1000;
          case "mb" -> n * 1_000_000;
          default -> n;
        };
    if (bytes < 1024 || bytes > (64L << 20))
      problem(t.getValueNode(), "size " + s + " (expected between 1KiB and 64MiB)");
    return bytes;
  }

  private Duration duration(NodeTuple t) {
    String s = scalar(t);
    Matcher m = s == null ? null : DURATION.matcher(s.strip());
    if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
      problem(
          t.getValueNode(),
          "duration '" + s + "' (expected a positive number with a unit, e.g. 30s, 5m or 1h)");
      return Duration.ofMinutes(1);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private void problem(Node n, String message) {
    int line = n == null ? 1 : n.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    int col = n == null ? 1 : n.getStartMark().map(m -> m.getColumn() + 1).orElse(1);
    problems.add(new ConfigProblem(file, line, col, message));
  }
}
