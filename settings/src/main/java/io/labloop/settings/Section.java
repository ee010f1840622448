package io.labloop.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads one map of a lab-file section and records every problem with its path instead of stopping
 * at the first, so {@code labloop validate} can list them all. Drivers use the same reader to check
 * a section and to build from it, which keeps the two from drifting apart: a section that checks
 * clean builds.
 */
public final class Section {

  private final Map<String, Object> values;
  private final List<Object> path;
  private final List<SettingsProblem> problems;

  private Section(Map<String, Object> values, List<Object> path, List<SettingsProblem> problems) {
    this.values = values;
    this.path = List.copyOf(path);
    this.problems = problems;
  }

  /** A reader over an instrument's whole section that adds problems to {@code problems}. */
  public static Section of(Map<String, Object> values, List<SettingsProblem> problems) {
    return new Section(values, List.of(), problems);
  }

  public List<SettingsProblem> problems() {
    return problems;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  public Set<String> keys() {
    return values.keySet();
  }

  public @Nullable Object raw(String key) {
    return values.get(key);
  }

  /** The path of {@code key} below this section, for problems found later. */
  public List<Object> pathOf(Object... keys) {
    List<Object> p = new ArrayList<>(path);
    p.addAll(List.of(keys));
    return p;
  }

  public void problem(String key, String message) {
    problems.add(new SettingsProblem(key == null ? path : pathOf(key), message));
  }

  /** Reports every key not in {@code allowed}, naming the keys that are. */
  public void allowOnly(Collection<String> allowed) {
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        problem(key, "unknown key '" + key + "'; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  public Optional<String> string(String key) {
    Object v = values.get(key);
    if (v == null) return Optional.empty();
    if (v instanceof Map || v instanceof List) {
      problem(key, "expected a text value, got a " + (v instanceof Map ? "map" : "list"));
      return Optional.empty();
    }
    return Optional.of(String.valueOf(v));
  }

  public Optional<String> requiredString(String key, String what) {
    if (!has(key)) {
      problem(null, "missing '" + key + "' (" + what + ")");
      return Optional.empty();
    }
    return string(key);
  }

  /** One of {@code choices}, compared ignoring case; returned as written in {@code choices}. */
  public Optional<String> choice(String key, List<String> choices) {
    return string(key)
        .flatMap(
            s -> {
              for (String c : choices) if (c.equalsIgnoreCase(s)) return Optional.of(c);
              problem(key, "'" + s + "' is not allowed; expected one of " + choices);
              return Optional.empty();
            });
  }

  public Optional<Integer> integer(String key, int min, int max) {
    Object v = values.get(key);
    if (v == null) return Optional.empty();
    try {
      double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
      if (d != Math.rint(d) || d < min || d > max) {
        problem(key, "expected a whole number from " + min + " to " + max + ", got " + v);
        return Optional.empty();
      }
      return Optional.of((int) d);
    } catch (NumberFormatException e) {
      problem(key, "expected a whole number, got '" + v + "'");
      return Optional.empty();
    }
  }

  public Optional<Duration> duration(String key) {
    Object v = values.get(key);
    if (v == null) return Optional.empty();
    return parsed(key, v, Durations::parse);
  }

  public boolean flag(String key, boolean otherwise) {
    Object v = values.get(key);
    if (v == null) return otherwise;
    if (v instanceof Boolean b) return b;
    if ("true".equalsIgnoreCase(String.valueOf(v))) return true;
    if ("false".equalsIgnoreCase(String.valueOf(v))) return false;
    problem(key, "expected true or false, got '" + v + "'");
    return otherwise;
  }

  /** A nested map as a section of its own; a problem if the value is not a map. */
  public Optional<Section> section(String key) {
    Object v = values.get(key);
    if (v == null) return Optional.empty();
    if (!(v instanceof Map<?, ?> m)) {
      problem(key, "expected a map of keys and values, got '" + v + "'");
      return Optional.empty();
    }
    return Optional.of(new Section(stringKeys(m), pathOf(key), problems));
  }

  /** A list; a single value counts as a list of one. */
  public Optional<List<Object>> list(String key) {
    Object v = values.get(key);
    if (v == null) return Optional.empty();
    if (v instanceof List<?> l) return Optional.of(new ArrayList<>(l));
    if (v instanceof Map) {
      problem(key, "expected a list, got a map");
      return Optional.empty();
    }
    return Optional.of(List.of(v));
  }

  /** Converts a value, turning the converter's IllegalArgumentException into a problem. */
  public <T> Optional<T> parsed(String key, Object value, Function<Object, T> parse) {
    try {
      return Optional.ofNullable(parse.apply(value));
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return Optional.empty();
    }
  }

  /** The value as a map with text keys, for items of a list that are maps. */
  public static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** A reader over an arbitrary map found below this section at {@code keys}. */
  public Section child(Map<?, ?> map, Object... keys) {
    return new Section(stringKeys(map), pathOf(keys), problems);
  }

  /**
   * The name of an entry of {@code outputs:} or {@code inputs:}: a bare name or {@code {name:
   * ...}}.
   */
  public static String outputName(Object entry) {
    if (entry instanceof Map<?, ?> m && m.get("name") != null) return String.valueOf(m.get("name"));
    return String.valueOf(entry);
  }
}
