package io.labloop.planners;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one experiment taught: the conditions it ran at (the achieved ones where the instrument read
 * them back), and the objective values, or that it failed.
 */
public record Observation(Point point, Map<String, Double> values, Status status) {

  public enum Status {
    /** Measured; {@code values} holds every objective. */
    OK,
    /**
     * Could not be made or measured at this point (unknown infeasibility, or rejected by a person).
     */
    FAILED
  }

  public Observation {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static Observation ok(Point point, Map<String, Double> values) {
    return new Observation(point, values, Status.OK);
  }

  public static Observation failed(Point point) {
    return new Observation(point, Map.of(), Status.FAILED);
  }

  public boolean isOk() {
    return status == Status.OK;
  }
}
