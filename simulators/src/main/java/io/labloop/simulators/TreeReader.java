package io.labloop.simulators;

import io.labloop.settings.SettingsProblem;
import io.labloop.settings.Spelling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed parts of the lab file's tree (a mapping, a list of names, a map of numbers, the known
 * keys of a section), collecting a {@link SettingsProblem} with its key path for each thing that
 * does not fit instead of failing on the first, so {@code labloop validate} reports them all. A
 * part that cannot be read comes back as {@code null} (or empty), and the caller goes on.
 */
final class TreeReader {

  private final List<SettingsProblem> problems;

  TreeReader(List<SettingsProblem> problems) {
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

  static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  static List<Object> path(List<Object> base, Object... more) {
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
}
