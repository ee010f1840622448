package io.labloop.planners.bayes;

import io.labloop.planners.Point;
import java.util.Map;

/**
 * The runner-up of a decision, kept in the suggestion's details so that a researcher can see what
 * the planner nearly chose ({@code labloop why}): {@code alternative.acquisition} is its score,
 * {@code alternative.NAME} a numeric parameter's value and {@code alternative.NAME=VALUE} (with 1)
 * a categorical one's, since details hold numbers only.
 */
final class Alternative {

  static final String PREFIX = "alternative.";

  private Alternative() {}

  static void describe(Point point, double score, Map<String, Double> details) {
    details.put(PREFIX + "acquisition", score);
    point
        .values()
        .forEach(
            (name, v) -> {
              if (v instanceof Number n) {
                details.put(PREFIX + name, n.doubleValue());
              } else {
                details.put(PREFIX + name + "=" + v, 1.0);
              }
            });
  }
}
