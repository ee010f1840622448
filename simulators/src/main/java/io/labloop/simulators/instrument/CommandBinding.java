package io.labloop.simulators.instrument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command of an instrument as its section of the lab file defines it: name, argument and output
 * names, and the protocol-specific keys (method node ids, send template, request topic) left as the
 * plain tree for the protocol package to read.
 */
public record CommandBinding(
    String name, List<String> inputs, List<String> outputs, Map<String, Object> definition) {

  public CommandBinding {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    definition = Map.copyOf(definition);
  }

  /** The command's {@code timeout} in the lab file: how long its client waits for an answer. */
  public java.util.Optional<java.time.Duration> timeout() {
    Object value = definition.get("timeout");
    if (value == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(io.labloop.simulators.Durations.parse(value));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** The declared type of an input ({@code inputs: [{name: cycles, type: Int32}]}), if any. */
  public java.util.Optional<String> typeOf(String input) {
    if (definition.get("inputs") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m
            && input.equals(String.valueOf(m.get("name")))
            && m.get("type") != null) {
          return java.util.Optional.of(String.valueOf(m.get("type")));
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Reads every command of an instrument section ({@code commands: {name: {...}}}). */
  public static List<CommandBinding> all(Map<String, Object> section) {
    List<CommandBinding> out = new ArrayList<>();
    if (!(section.get("commands") instanceof Map<?, ?> commands)) {
      return out;
    }
    for (Map.Entry<?, ?> e : commands.entrySet()) {
      Map<String, Object> def = new LinkedHashMap<>();
      if (e.getValue() instanceof Map<?, ?> m) {
        m.forEach(
            (k, v) -> {
              if (v != null) {
                def.put(String.valueOf(k), v);
              }
            });
      }
      out.add(
          new CommandBinding(
              String.valueOf(e.getKey()),
              names(def.get("inputs")),
              names(def.get("outputs")),
              def));
    }
    return out;
  }

  private static List<String> names(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          // { name: ..., type: ... } is a typed argument; { name: ..., node: ... } is a variable
          // read by the client, not a method argument.
          if (m.get("name") != null && m.get("node") == null) {
            out.add(String.valueOf(m.get("name")));
          }
        } else if (o != null) {
          out.add(String.valueOf(o));
        }
      }
    }
    return out;
  }
}
