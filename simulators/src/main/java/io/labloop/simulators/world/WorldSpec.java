package io.labloop.simulators.world;

import java.util.List;
import java.util.Map;

/** Which world the lab file asks for ({@code simulation.world}), before it is built. */
public sealed interface WorldSpec {

  /** A model built into the virtual lab, by name ({@code model: silver-nanoparticles}). */
  record BuiltIn(String name) implements WorldSpec {}

  /** One expression per output over the input names ({@code expression: {peak: "..."}}). */
  record Expressions(Map<String, String> outputs) implements WorldSpec {
    public Expressions {
      outputs = Map.copyOf(outputs);
    }
  }

  /**
   * Replay of a CSV of measured runs ({@code dataset: runs.csv, inputs: [...], outputs: [...]}).
   */
  record Dataset(String file, List<String> inputs, List<String> outputs) implements WorldSpec {
    public Dataset {
      inputs = List.copyOf(inputs);
      outputs = List.copyOf(outputs);
    }
  }

  /**
   * A named benchmark function on its standard domain ({@code function: branin}); its inputs are
   * {@code x1..xd} and its single output is {@code output} (default {@code y}).
   */
  record Function(String name, String output) implements WorldSpec {}
}
