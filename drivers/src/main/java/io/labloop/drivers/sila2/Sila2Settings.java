package io.labloop.drivers.sila2;

import io.labloop.drivers.support.CommandPolicy;
import io.labloop.drivers.support.CommonKeys;
import io.labloop.drivers.support.Template;
import io.labloop.settings.Section;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A SiLA 2 instrument's section, checked.
 *
 * <pre>
 * server: 127.0.0.1:50052          # host:port of the SiLA 2 server, or instead:
 * discover: Synthesis robot        # its server name (or UUID): found on the local network by
 *                                  # SiLA Server Discovery (DNS-SD over mDNS, _sila._tcp.local.)
 *                                  # at each connect; then its SiLA Service must say that name
 * discover-timeout: 5s             # how long to look (default 5s)
 * discover-interface: eth0         # interface or address to browse on (default: the first one
 *                                  # that is up, not loopback and multicast-capable)
 * feature: RobotController         # optional: the feature its commands are in (identifier or
 *                                  # originator/category/Identifier/vN); by default the one that has them
 * plaintext: false                 # true: no TLS (development servers only; SiLA 2 requires TLS)
 * tls:
 *   trust-dir: PATH                # default DATA/sila2/pki: trusted/certs/, rejected/
 *   certificate: FILE              # also trust this server certificate (PEM or DER)
 * variables: {state: State}        # name to property identifier
 * commands:
 *   synthesize:
 *     command: Synthesize          # the SiLA command identifier (default: the name in UpperCamelCase)
 *     parameters: {Temperature: "{temperature}"}  # parameter identifier to template; by default
 *                                  # each parameter P takes the argument p (P in lowerCamelCase)
 *     responses: {sampleId: SampleId}  # output name to response identifier; by default every
 *                                  # response, named in lowerCamelCase
 *     observable: true             # optional: what the lab expects; checked against the server
 *     until: {property: State, equals: Idle}  # then wait until the property has that value
 * </pre>
 */
record Sila2Settings(
    String host,
    int port,
    Optional<String> discover,
    Duration discoverTimeout,
    Optional<String> discoverInterface,
    Optional<String> feature,
    boolean plaintext,
    Path trustDir,
    Optional<Path> certificate,
    Map<String, String> variables,
    Map<String, SilaCommand> commands) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Z][A-Za-z0-9]*");

  record Until(String property, String equals) {}

  record SilaCommand(
      String name,
      Optional<String> command,
      Optional<Map<String, Object>> parameters,
      Optional<Map<String, String>> responses,
      Optional<Boolean> observable,
      Optional<Until> until,
      CommandPolicy policy) {}

  static final Duration DEFAULT_DISCOVER_TIMEOUT = Duration.ofSeconds(5);

  String address() {
    return discover.map(d -> "SiLA server '" + d + "'").orElse(host + ":" + port);
  }

  static Sila2Settings read(Section s, Path dataDir) {
    s.allowOnly(
        CommonKeys.instrumentPlus(
            List.of(
                "server",
                "discover",
                "discover-timeout",
                "discover-interface",
                "feature",
                "plaintext",
                "tls",
                "variables",
                "commands")));
    Optional<String> discover = s.string("discover");
    discover.ifPresent(
        d -> {
          if (d.isBlank()) s.problem("discover", "'discover' needs the server's name or UUID");
        });
    if (discover.isPresent() && s.has("server"))
      s.problem(
          "discover",
          "'server' and 'discover' exclude each other: give the address or the name to look for");
    if (discover.isEmpty()) {
      for (String k : List.of("discover-timeout", "discover-interface"))
        if (s.has(k)) s.problem(k, "'" + k + "' goes with 'discover'");
    }
    Duration discoverTimeout = s.duration("discover-timeout").orElse(DEFAULT_DISCOVER_TIMEOUT);
    if (discoverTimeout.isZero() || discoverTimeout.isNegative())
      s.problem("discover-timeout", "must be more than 0");
    Optional<String> discoverInterface = s.string("discover-interface");
    String host = "invalid";
    int port = 0;
    if (discover.isEmpty()) {
      String server =
          s.requiredString(
                  "server",
                  "the SiLA 2 server's address, e.g. 127.0.0.1:50052 (or 'discover: NAME' to"
                      + " find it on the network)")
              .orElse("invalid:0");
      int colon = server.lastIndexOf(':');
      try {
        if (colon <= 0) throw new NumberFormatException();
        host = server.substring(0, colon).replace("[", "").replace("]", "");
        port = Integer.parseInt(server.substring(colon + 1));
        // port 0 only makes sense to the virtual lab, which then picks a free one
        if (port < 0 || port > 65535) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        if (s.has("server"))
          s.problem("server", "'" + server + "' is not host:port (port 0 to 65535)");
      }
    }
    boolean plaintext = s.flag("plaintext", false);
    Path trustDir = dataDir.resolve("sila2").resolve("pki");
    Optional<Path> certificate = Optional.empty();
    Optional<Section> tls = s.section("tls");
    if (tls.isPresent()) {
      Section t = tls.get();
      t.allowOnly(List.of("trust-dir", "certificate"));
      if (plaintext) s.problem("tls", "'tls' and 'plaintext: true' exclude each other");
      trustDir = t.string("trust-dir").map(Path::of).orElse(trustDir);
      certificate = t.string("certificate").map(Path::of);
    }
    Map<String, String> variables = new LinkedHashMap<>();
    s.section("variables")
        .ifPresent(
            v -> {
              for (String name : v.keys())
                v.string(name)
                    .ifPresent(
                        id -> {
                          if (!IDENTIFIER.matcher(id).matches())
                            v.problem(
                                name, "'" + id + "' is not a SiLA identifier (UpperCamelCase)");
                          variables.put(name, id);
                        });
            });
    Map<String, SilaCommand> commands = new LinkedHashMap<>();
    s.section("commands")
        .ifPresentOrElse(
            cs -> {
              for (String name : cs.keys())
                cs.section(name).ifPresent(c -> commands.put(name, readCommand(name, c)));
            },
            () -> s.problem(null, "missing 'commands' (what the instrument can be asked to do)"));
    return new Sila2Settings(
        host,
        port,
        discover,
        discoverTimeout,
        discoverInterface,
        s.string("feature"),
        plaintext,
        trustDir,
        certificate,
        variables,
        commands);
  }

  private static SilaCommand readCommand(String name, Section c) {
    c.allowOnly(
        CommonKeys.commandPlus(
            List.of("command", "parameters", "responses", "observable", "until")));
    CommandPolicy policy = CommandPolicy.read(c);
    Optional<String> command = c.string("command");
    command.ifPresent(
        id -> {
          if (!IDENTIFIER.matcher(id).matches())
            c.problem("command", "'" + id + "' is not a SiLA identifier (UpperCamelCase)");
        });
    Optional<Map<String, Object>> parameters =
        c.section("parameters")
            .map(
                p -> {
                  Map<String, Object> out = new LinkedHashMap<>();
                  for (String key : p.keys()) {
                    Object v = p.raw(key);
                    if (v instanceof String text)
                      p.parsed(key, text, x -> Template.parse((String) x));
                    out.put(key, v);
                  }
                  return out;
                });
    Optional<Map<String, String>> responses =
        c.section("responses")
            .map(
                r -> {
                  Map<String, String> out = new LinkedHashMap<>();
                  for (String key : r.keys()) r.string(key).ifPresent(id -> out.put(key, id));
                  return out;
                });
    Optional<Boolean> observable =
        c.has("observable") ? Optional.of(c.flag("observable", true)) : Optional.empty();
    Optional<Until> until =
        c.section("until")
            .flatMap(
                u -> {
                  u.allowOnly(List.of("property", "equals"));
                  Optional<String> property =
                      u.requiredString("property", "the observable property to watch");
                  Optional<String> equals = u.requiredString("equals", "the value to wait for");
                  return property.flatMap(p -> equals.map(e -> new Until(p, e)));
                });
    if (command.isEmpty() && until.isPresent() && (parameters.isPresent() || responses.isPresent()))
      c.problem(null, "'parameters' and 'responses' need a 'command'");
    return new SilaCommand(
        name,
        command.isEmpty() && until.isPresent()
            ? Optional.empty()
            : Optional.of(command.orElse(upperCamel(name))),
        parameters,
        responses,
        observable,
        until,
        policy);
  }

  /** {@code synthesize} to {@code Synthesize}, {@code read-state} to {@code ReadState}. */
  static String upperCamel(String name) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char ch : name.toCharArray()) {
      if (!Character.isLetterOrDigit(ch)) {
        up = true;
        continue;
      }
      b.append(up ? Character.toUpperCase(ch) : ch);
      up = false;
    }
    return b.toString();
  }

  /** {@code SampleId} to {@code sampleId}. */
  static String lowerCamel(String identifier) {
    return identifier.isEmpty()
        ? identifier
        : Character.toLowerCase(identifier.charAt(0)) + identifier.substring(1);
  }
}
