package io.labloop.planners;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code planner:} block of a campaign: its type, seed and the type's own options ({@code
 * initial}, {@code acquisition}, {@code batch}, {@code file} for replay, ...), as plain values
 * (String, Number, Boolean, List, Map).
 */
public record PlannerSpec(String type, long seed, Map<String, Object> options) {
  public PlannerSpec {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }
}
