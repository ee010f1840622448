package io.labloop.orchestrator.campaign;

import io.labloop.planners.Point;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The best experiment so far.
 *
 * @param seq its number
 * @param point the conditions achieved
 * @param values its objective values, in the campaign's order (as given; printed in that order)
 */
public record Best(int seq, Point point, Map<String, Double> values) {
  public Best {
    // Not Map.copyOf: its iteration order changes from one JVM to the next, and the summary line
    // would print the objectives in a different order on every run.
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
