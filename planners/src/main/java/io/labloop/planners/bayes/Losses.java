package io.labloop.planners.bayes;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.pareto.Pareto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The losses the model is fitted to, and how to report its predictions. One objective: its {@link
 * Objective#loss}. Several (ParEGO): each loss scaled to [0, 1] over the observations and combined
 * by an augmented Chebyshev norm {@code max_k w_k f_k + ρ Σ_k w_k f_k} with weights drawn uniformly
 * on the simplex from the caller's stream, so every call scalarises differently.
 */
record Losses(List<Objective> objectives, double[] scalar, Map<String, Double> pareto) {

  private static final double PAREGO_RHO = 0.05;

  String label() {
    if (objectives.size() > 1) return "scalarised loss";
    Objective o = objectives.get(0);
    return o instanceof Objective.Target ? o.name() + " distance to target" : o.name();
  }

  /** A predicted loss as the user reads it: a maximised objective's loss is its negative. */
  double reported(double mean) {
    return objectives.size() == 1 && objectives.get(0) instanceof Objective.Maximize ? -mean : mean;
  }

  void describe(double mean, double sd, Map<String, Double> means, Map<String, Double> sds) {
    if (objectives.size() > 1) {
      means.put("scalarised.loss", mean);
      sds.put("scalarised.loss", sd);
      return;
    }
    Objective o = objectives.get(0);
    if (o instanceof Objective.Maximize) {
      means.put(o.name(), -mean);
    } else if (o instanceof Objective.Minimize) {
      means.put(o.name(), mean);
    } else {
      means.put(o.name() + ".distance", mean);
    }
    sds.put(o instanceof Objective.Target ? o.name() + ".distance" : o.name(), sd);
  }

  static Losses of(List<Objective> objectives, List<Observation> ok, SplittableRandom random) {
    int m = objectives.size();
    List<double[]> raw = new ArrayList<>();
    for (Observation o : ok) {
      double[] l = new double[m];
      for (int k = 0; k < m; k++)
        l[k] = objectives.get(k).loss(o.values().get(objectives.get(k).name()));
      raw.add(l);
    }
    if (m == 1) {
      return new Losses(objectives, raw.stream().mapToDouble(l -> l[0]).toArray(), Map.of());
    }
    double[] lo = new double[m];
    double[] hi = new double[m];
    Arrays.fill(lo, Double.POSITIVE_INFINITY);
    Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (double[] l : raw) {
      for (int k = 0; k < m; k++) {
        lo[k] = Math.min(lo[k], l[k]);
        hi[k] = Math.max(hi[k], l[k]);
      }
    }
    // ParEGO: weights uniform on the simplex (normalised exponential draws).
    double[] w = new double[m];
    double sum = 0;
    for (int k = 0; k < m; k++) {
      w[k] = -Math.log(1 - random.nextDouble());
      sum += w[k];
    }
    for (int k = 0; k < m; k++) w[k] /= sum;
    double[] scalar = new double[raw.size()];
    for (int i = 0; i < raw.size(); i++) {
      double max = Double.NEGATIVE_INFINITY;
      double total = 0;
      for (int k = 0; k < m; k++) {
        double f = hi[k] > lo[k] ? (raw.get(i)[k] - lo[k]) / (hi[k] - lo[k]) : 0;
        max = Math.max(max, w[k] * f);
        total += w[k] * f;
      }
      scalar[i] = max + PAREGO_RHO * total;
    }
    List<Integer> front = Pareto.front(raw);
    List<double[]> frontPoints = front.stream().map(raw::get).toList();
    Map<String, Double> pareto = new LinkedHashMap<>();
    pareto.put("pareto.size", (double) front.size());
    pareto.put("pareto.hypervolume", Pareto.hypervolume(frontPoints, Pareto.reference(raw)));
    return new Losses(objectives, scalar, pareto);
  }
}
