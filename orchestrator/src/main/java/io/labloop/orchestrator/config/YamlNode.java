package io.labloop.orchestrator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value that remembers where it was written, with {@code ${NAME}} already filled in. The
 * readers work on this small tree rather than on SnakeYAML's nodes so that every check can point at
 * a line and column, and so that the tree can be turned into plain values for drivers and the
 * virtual lab.
 */
sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.Scalar {

  /** Where the value starts (1-based). */
  Pos pos();

  /** The value as plain Java: Map, List, String, Long, Double, Boolean or null. */
  Object plain();

  /** How a researcher would call this kind of value, for "got ..." in messages. */
  String describe();

  record Pos(int line, int column) {
    static final Pos START = new Pos(1, 1);
  }

  /** A key of a map, with the position of the key itself (where "unknown key" points). */
  record Entry(String key, Pos keyPos, YamlNode value) {}

  record MapNode(Map<String, Entry> entries, Pos pos) implements YamlNode {
    public MapNode {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    Optional<YamlNode> get(String key) {
      Entry e = entries.get(key);
      return e == null ? Optional.empty() : Optional.of(e.value());
    }

    boolean has(String key) {
      return entries.containsKey(key);
    }

    @Override
    public Object plain() {
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach((k, e) -> out.put(k, e.value().plain()));
      return out;
    }

    @Override
    public String describe() {
      return "a map";
    }
  }

  record ListNode(List<YamlNode> items, Pos pos) implements YamlNode {
    public ListNode {
      items = List.copyOf(items);
    }

    @Override
    public Object plain() {
      List<Object> out = new ArrayList<>();
      items.forEach(i -> out.add(i.plain()));
      return out;
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * @param value String, Long, Double, Boolean or null (an empty value)
   * @param text the text as written (after {@code ${NAME}} substitution)
   */
  record Scalar(Object value, String text, Pos pos) implements YamlNode {
    @Override
    public Object plain() {
      return value;
    }

    boolean isNull() {
      return value == null;
    }

    @Override
    public String describe() {
      if (value == null) return "nothing";
      if (value instanceof Boolean) return value.toString();
      if (value instanceof Number) return "the number " + text;
      // A whole paragraph pasted in the wrong place would drown the message.
      return "'" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
    }
  }

  /**
   * The node at {@code path} (map keys and list indexes from this node), or the deepest node on the
   * way when the path leaves the tree: a problem found in plain values by another module (a driver,
   * the simulator) still gets the nearest line.
   */
  default YamlNode find(List<?> path) {
    YamlNode at = this;
    for (Object step : path) {
      Optional<YamlNode> next = at.child(step);
      if (next.isEmpty()) return at;
      at = next.get();
    }
    return at;
  }

  /** The value under one map key or list index, if there is one. */
  private Optional<YamlNode> child(Object step) {
    if (this instanceof MapNode m && m.entries().get(String.valueOf(step)) != null) {
      return Optional.of(m.entries().get(String.valueOf(step)).value());
    }
    if (this instanceof ListNode l
        && step instanceof Number n
        && n.intValue() >= 0
        && n.intValue() < l.items().size()) {
      return Optional.of(l.items().get(n.intValue()));
    }
    return Optional.empty();
  }

  /**
   * The position of the key at the end of {@code path} (for "unknown key" and other problems with a
   * key itself); the nearest node found when the path leaves the tree.
   */
  default Pos keyPosition(List<?> path) {
    if (path.isEmpty()) return pos();
    YamlNode parent = this;
    for (Object step : path.subList(0, path.size() - 1)) {
      Optional<YamlNode> next = parent.child(step);
      if (next.isEmpty()) return find(path).pos();
      parent = next.get();
    }
    if (parent instanceof MapNode m) {
      Entry e = m.entries().get(String.valueOf(path.get(path.size() - 1)));
      if (e != null) return e.keyPos();
    }
    return parent.pos();
  }
}
