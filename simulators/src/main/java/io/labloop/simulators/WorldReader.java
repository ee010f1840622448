package io.labloop.simulators;

import static io.labloop.simulators.TreeReader.describe;
import static io.labloop.simulators.TreeReader.path;

import io.labloop.simulators.world.WorldModels;
import io.labloop.simulators.world.WorldSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code world:} of the simulation block: exactly one of a built-in {@code model}, {@code
 * expression}s per output (checked by the expression language before anything runs), a {@code
 * dataset} with its input and output columns, or a benchmark {@code function}; keys that belong to
 * another kind of world are reported, not ignored.
 */
final class WorldReader {
  static final Set<String> WORLD_KEYS =
      Set.of("model", "expression", "dataset", "inputs", "outputs", "function", "output");

  private WorldReader() {}

  static WorldSpec read(TreeReader r, Object value, List<Object> at) {
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
}
