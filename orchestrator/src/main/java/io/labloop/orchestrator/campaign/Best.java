package io.labloop.orchestrator.campaign;

import io.labloop.planners.Point;
import java.util.Map;

/**
 * The best experiment so far.
 *
 * @param seq its number
 * @param point the conditions achieved
 * @param values its objective values
 */
public record Best(int seq, Point point, Map<String, Double> values) {
  public Best {
    values = Map.copyOf(values);
  }
}
