package io.labloop.planners.bayes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.planners.gp.FiniteDifferences;
import io.labloop.planners.gp.GaussianProcess;
import io.labloop.planners.gp.NoiseModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelAverageTest {

  private static List<GaussianProcess> draws(int samples) {
    SplittableRandom r = new SplittableRandom(11);
    double[][] x = new double[12][3];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 3; j++) x[i][j] = r.nextDouble();
      y[i] = Math.cos(4 * x[i][0]) + x[i][1] * x[i][2];
    }
    List<GaussianProcess> all =
        GaussianProcess.fitSamples(
            x, y, 5, new int[] {0, 1, 2}, new boolean[3], NoiseModel.FITTED, samples);
    return all;
  }

  private static double[][] observed() {
    SplittableRandom r = new SplittableRandom(11);
    double[][] x = new double[12][3];
    for (double[] row : x) for (int j = 0; j < 3; j++) row[j] = r.nextDouble();
    return x;
  }

  @ParameterizedTest
  @EnumSource(
      value = Bayesian.Acquisition.class,
      names = {"EI", "PI", "UCB"})
  void averagedAcquisitionGradientMatchesFiniteDifferences(Bayesian.Acquisition kind) {
    AcquisitionFunction a = new AcquisitionFunction(kind, 2.0);
    List<GaussianProcess> models = draws(8);
    ModelAverage average = new ModelAverage(models.subList(1, models.size()), observed());
    for (double[] x : new double[][] {{0.3, 0.6, 0.2}, {0.9, 0.1, 0.5}, {0.05, 0.95, 0.7}}) {
      double[] gradient = new double[3];
      average.at(a, x, gradient);
      for (int j = 0; j < 3; j++) {
        FiniteDifferences.assertPartial(
            u -> average.at(a, u, null),
            x,
            j,
            gradient[j],
            1e-6,
            1e-5 * Math.max(1, Math.abs(gradient[j])));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Bayesian.Acquisition.class,
      names = {"EI", "PI", "UCB"})
  void theCandidateScoreIsThePointValueAndOneModelIsThatModel(Bayesian.Acquisition kind) {
    AcquisitionFunction a = new AcquisitionFunction(kind, 2.0);
    List<GaussianProcess> models = draws(4);
    double[][] candidates = {{0.1, 0.2, 0.3}, {0.7, 0.7, 0.1}};
    ModelAverage average = new ModelAverage(models.subList(1, models.size()), observed());
    average.scoreCandidates(candidates);
    for (int c = 0; c < candidates.length; c++)
      assertEquals(average.at(a, candidates[c], null), average.candidate(a, c), 1e-9);
    // Log-mean-exp of EI: (1/K) Σ EI_k, checked against the models one by one.
    if (kind == Bayesian.Acquisition.EI) {
      double mean = 0;
      for (GaussianProcess gp : models.subList(1, models.size())) {
        ModelAverage one = new ModelAverage(List.of(gp), observed());
        mean += Math.exp(one.at(a, candidates[0], null)) / (models.size() - 1);
      }
      assertEquals(Math.log(mean), average.at(a, candidates[0], null), 1e-9);
    }
  }
}
