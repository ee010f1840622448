package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.YamlNode.ListNode;
import io.labloop.orchestrator.config.YamlNode.MapNode;
import io.labloop.orchestrator.config.YamlNode.Scalar;
import io.labloop.settings.Spelling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed reading of one YAML map, reporting every wrong type, missing key and unknown key at its
 * position and carrying on, so that one run of {@code validate} lists everything. Each getter
 * returns empty when the key is absent or wrong; the caller decides about defaults.
 */
final class Fields {

  private final MapNode map;
  private final Report report;

  Fields(MapNode map, Report report) {
    this.map = map;
    this.report = report;
  }

  /** A reader over {@code node} if it is a map; else a problem "(expected a map of ...)". */
  static Optional<Fields> of(YamlNode node, Report report, String expected) {
    if (node instanceof MapNode m) return Optional.of(new Fields(m, report));
    report.error(node, "wrong type: got " + node.describe() + " (expected " + expected + ")");
    return Optional.empty();
  }

  MapNode map() {
    return map;
  }

  Report report() {
    return report;
  }

  boolean has(String key) {
    return map.has(key);
  }

  Optional<YamlNode> node(String key) {
    return map.get(key);
  }

  YamlNode.Pos keyPos(String key) {
    YamlNode.Entry e = map.entries().get(key);
    return e == null ? map.pos() : e.keyPos();
  }

  /**
   * Reports keys outside {@code allowed}, with the nearest allowed key when it looks like a typo.
   */
  void allowOnly(Collection<String> allowed) {
    for (YamlNode.Entry e : map.entries().values()) {
      if (!allowed.contains(e.key())) {
        report.error(
            e.keyPos(), "unknown key '" + e.key() + "' (" + Spelling.hint(e.key(), allowed) + ")");
      }
    }
  }

  /**
   * Reports a missing key at the map, unless a misspelling of it is there (reported by {@link
   * #allowOnly}).
   */
  boolean require(String key, String expected) {
    if (map.has(key)) return true;
    // A near miss ("instrumnets") is reported once, as an unknown key with "did you mean".
    for (String k : map.entries().keySet()) {
      if (Spelling.closest(k, List.of(key)).isPresent()) return false;
    }
    report.error(map.pos(), "missing '" + key + "' (expected " + expected + ")");
    return false;
  }

  Optional<String> string(String key) {
    return map.get(key).flatMap(n -> text(n, key));
  }

  Optional<String> text(YamlNode n, String key) {
    if (n instanceof Scalar s && !s.isNull()) {
      return Optional.of(s.text());
    }
    report.error(
        n, "wrong type for '" + key + "': got " + n.describe() + " (expected a text value)");
    return Optional.empty();
  }

  Optional<Double> number(String key) {
    return map.get(key).flatMap(n -> number(n, key));
  }

  Optional<Double> number(YamlNode n, String key) {
    if (n instanceof Scalar s
        && s.value() instanceof Number num
        && Double.isFinite(num.doubleValue())) {
      return Optional.of(num.doubleValue());
    }
    report.error(n, "wrong type for '" + key + "': got " + n.describe() + " (expected a number)");
    return Optional.empty();
  }

  /** A whole number of at least {@code min}. */
  OptionalLong whole(String key, long min) {
    Optional<YamlNode> n = map.get(key);
    if (n.isEmpty()) return OptionalLong.empty();
    if (n.get() instanceof Scalar s && s.value() instanceof Long v) {
      if (v >= min) return OptionalLong.of(v);
      report.error(s, "'" + key + "' is " + v + " (expected a whole number >= " + min + ")");
      return OptionalLong.empty();
    }
    report.error(
        n.get(),
        "wrong type for '"
            + key
            + "': got "
            + n.get().describe()
            + " (expected a whole number >= "
            + min
            + ")");
    return OptionalLong.empty();
  }

  Optional<Boolean> flag(String key) {
    Optional<YamlNode> n = map.get(key);
    if (n.isEmpty()) return Optional.empty();
    if (n.get() instanceof Scalar s && s.value() instanceof Boolean b) return Optional.of(b);
    report.error(
        n.get(),
        "wrong type for '" + key + "': got " + n.get().describe() + " (expected true or false)");
    return Optional.empty();
  }

  Optional<Duration> duration(String key) {
    Optional<YamlNode> n = map.get(key);
    if (n.isEmpty()) return Optional.empty();
    if (n.get() instanceof Scalar s && !s.isNull()) {
      try {
        Duration d = DurationText.parse(s.text());
        if (!d.isZero()) return Optional.of(d);
      } catch (IllegalArgumentException e) {
        // reported below with the value that was given
      }
    }
    report.error(
        n.get(), "'" + key + "' is " + n.get().describe() + " (" + DurationText.EXPECTED + ")");
    return Optional.empty();
  }

  /** One of {@code choices} (exact, lower case), with "did you mean" for a near miss. */
  Optional<String> choice(String key, List<String> choices) {
    return string(key)
        .flatMap(
            v -> {
              if (choices.contains(v)) return Optional.of(v);
              report.error(
                  map.get(key).orElseThrow(),
                  "'"
                      + key
                      + "' is '"
                      + v
                      + "' ("
                      + Spelling.closest(v, choices)
                          .map(c -> "did you mean '" + c + "'?")
                          .orElse("expected one of " + String.join(", ", choices))
                      + ")");
              return Optional.empty();
            });
  }

  Optional<Fields> section(String key, String expected) {
    return map.get(key).flatMap(n -> of(n, report, expected));
  }

  /** A list's items; a problem if the value is not a list. */
  Optional<List<YamlNode>> list(String key, String expected) {
    Optional<YamlNode> n = map.get(key);
    if (n.isEmpty()) return Optional.empty();
    if (n.get() instanceof ListNode l) return Optional.of(new ArrayList<>(l.items()));
    report.error(
        n.get(),
        "wrong type for '" + key + "': got " + n.get().describe() + " (expected " + expected + ")");
    return Optional.empty();
  }
}
