package io.labloop.planners;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A point to run next and why it was chosen. Model-free planners leave {@code acquisition} NaN and
 * the predictions empty.
 *
 * @param point the conditions
 * @param planner the planner's name ({@code bayesian}, {@code sobol}, ...)
 * @param reason one line a researcher can read ("log-EI 3.2 at predicted peak 519 ± 4")
 * @param acquisition the acquisition value that ranked this point, or NaN
 * @param predictedMean per objective, the model's predicted mean at the point
 * @param predictedSd per objective, the model's predicted standard deviation
 * @param details anything else worth keeping with the decision (length-scales, noise, ...)
 */
public record Suggestion(
    Point point,
    String planner,
    String reason,
    double acquisition,
    Map<String, Double> predictedMean,
    Map<String, Double> predictedSd,
    Map<String, Double> details) {

  public Suggestion {
    predictedMean = Collections.unmodifiableMap(new LinkedHashMap<>(predictedMean));
    predictedSd = Collections.unmodifiableMap(new LinkedHashMap<>(predictedSd));
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** A suggestion with no model behind it. */
  public static Suggestion of(Point point, String planner, String reason) {
    return new Suggestion(point, planner, reason, Double.NaN, Map.of(), Map.of(), Map.of());
  }
}
