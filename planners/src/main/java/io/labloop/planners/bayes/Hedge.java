package io.labloop.planners.bayes;

import io.labloop.planners.gp.GaussianProcess;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * GP-Hedge's choice among the portfolio's proposals, without hidden state. The published algorithm
 * keeps, per acquisition, a running gain (the sum of the refitted model's mean at each of its past
 * proposals) and draws with probability softmax(η · gain). Past proposals that were not run are not
 * in the planning state, so here the gain is the current model's mean at the current proposals only
 * (lower loss = higher gain, in the model's standardised units so η = 1 means the same on every
 * problem): a one-step hedge. The draw uses its own stream from the seed and round, so the same
 * state gives the same choice.
 */
final class Hedge {

  /**
   * GP-Hedge's softmax temperature on gains in standardised loss units (the paper's and
   * scikit-optimize's 1).
   */
  private static final double ETA = 1.0;

  private Hedge() {}

  /** The index of the proposal drawn; its gains and probability go into {@code details}. */
  static int pick(
      List<BayesianPlanner.Proposal> proposals,
      GaussianProcess gp,
      SplittableRandom random,
      Map<String, Double> details) {
    double[] gain = new double[proposals.size()];
    double top = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < gain.length; i++) {
      gain[i] = -gp.predict(proposals.get(i).x()).mean();
      top = Math.max(top, gain[i]);
    }
    double[] w = new double[gain.length];
    double total = 0;
    for (int i = 0; i < gain.length; i++) {
      w[i] = Math.exp(ETA * (gain[i] - top));
      total += w[i];
    }
    double u = random.nextDouble() * total;
    int pick = gain.length - 1;
    for (int i = 0; i < gain.length; i++) {
      u -= w[i];
      if (u <= 0) {
        pick = i;
        break;
      }
    }
    for (int i = 0; i < gain.length; i++)
      details.put("hedge.gain." + proposals.get(i).acquisition().label(), gain[i]);
    details.put("hedge.probability", w[pick] / total);
    return pick;
  }
}
