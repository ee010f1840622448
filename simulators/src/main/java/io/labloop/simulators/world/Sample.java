package io.labloop.simulators.world;

import java.util.Map;

/**
 * A physical sample in the virtual world.
 *
 * @param id the id the synthesizer handed out
 * @param conditions the conditions it was actually made under
 * @param truth its true properties (what a perfect, noiseless instrument would measure)
 */
public record Sample(String id, Map<String, Object> conditions, Map<String, Double> truth) {
  public Sample {
    conditions = Map.copyOf(conditions);
    truth = Map.copyOf(truth);
  }
}
