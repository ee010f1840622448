package io.labloop.simulators.world;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds the world a lab file asks for. */
public final class WorldModels {

  private WorldModels() {}

  /** Names accepted by {@code world: { model: NAME }}. */
  public static List<String> builtInModels() {
    return List.of(SilverNanoparticles.NAME);
  }

  /** Names accepted by {@code world: { function: NAME }}. */
  public static List<String> functions() {
    return BenchmarkCatalogue.names();
  }

  /**
   * Builds a world.
   *
   * @param baseDir where a relative dataset path is resolved (the lab file's folder)
   * @throws IllegalArgumentException when the world cannot be built (unknown name, unreadable
   *     dataset, expression that does not parse), with the reason
   */
  public static WorldModel build(WorldSpec spec, Path baseDir) {
    if (spec instanceof WorldSpec.BuiltIn b) {
      if (!b.name().equals(SilverNanoparticles.NAME)) {
        throw new IllegalArgumentException(
            "unknown world model '" + b.name() + "' (expected one of " + builtInModels() + ")");
      }
      return new SilverNanoparticles();
    }
    if (spec instanceof WorldSpec.Expressions e) {
      for (String expression : e.outputs().values()) {
        ExpressionWorld.variables(expression);
      }
      return new ExpressionWorld(e.outputs());
    }
    if (spec instanceof WorldSpec.Dataset d) {
      return DatasetWorld.read(baseDir.resolve(d.file()), d.inputs(), d.outputs());
    }
    WorldSpec.Function f = (WorldSpec.Function) spec;
    return BenchmarkCatalogue.find(f.name(), f.output())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown benchmark function '"
                        + f.name()
                        + "' (expected one of "
                        + functions()
                        + ")"));
  }

  /** The outputs a world will have, known without building it (a dataset lists them). */
  public static List<String> outputsOf(WorldSpec spec) {
    if (spec instanceof WorldSpec.BuiltIn b) {
      return b.name().equals(SilverNanoparticles.NAME)
          ? new SilverNanoparticles().outputs()
          : List.of();
    }
    if (spec instanceof WorldSpec.Expressions e) {
      return List.copyOf(e.outputs().keySet());
    }
    if (spec instanceof WorldSpec.Dataset d) {
      return d.outputs();
    }
    return List.of(((WorldSpec.Function) spec).output());
  }

  /** Checks an expression parses; returns EvalEx's reason when it does not, else null. */
  public static @Nullable String expressionProblem(String expression) {
    try {
      ExpressionWorld.variables(expression);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
