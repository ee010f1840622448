package io.labloop.simulators.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A named benchmark function (branin, hartmann6, ...) as a world: inputs {@code x1..xd} on the
 * function's standard domain, one output. Conditions outside the domain are refused, as a real
 * instrument refuses a set point outside its range.
 */
final class FunctionWorld implements WorldModel {

  private final String name;
  private final double[] lower;
  private final double[] upper;
  private final ToDoubleFunction<double[]> function;
  private final String output;
  private final List<String> inputs;

  FunctionWorld(
      String name,
      double[] lower,
      double[] upper,
      ToDoubleFunction<double[]> function,
      String output) {
    this.name = name;
    this.lower = lower.clone();
    this.upper = upper.clone();
    this.function = function;
    this.output = output;
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= lower.length; i++) {
      names.add("x" + i);
    }
    this.inputs = List.copyOf(names);
  }

  @Override
  public List<String> inputs() {
    return inputs;
  }

  @Override
  public Map<String, List<String>> categories() {
    return Map.of();
  }

  @Override
  public List<String> outputs() {
    return List.of(output);
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> conditions) {
    double[] x = new double[lower.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = WorldModel.number(conditions, inputs.get(i));
      if (x[i] < lower[i] || x[i] > upper[i]) {
        throw new IllegalArgumentException(
            inputs.get(i)
                + " = "
                + x[i]
                + " is outside "
                + name
                + "'s domain ["
                + lower[i]
                + ", "
                + upper[i]
                + "]");
      }
    }
    return Map.of(output, function.applyAsDouble(x));
  }
}
