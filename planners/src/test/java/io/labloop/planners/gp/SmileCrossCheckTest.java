package io.labloop.planners.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import smile.regression.GaussianProcessRegression;

/**
 * The fitted kernel is a proper Smile {@code MercerKernel}: Smile's own {@link
 * GaussianProcessRegression}, given our kernel and noise (and no hyperparameter search), predicts
 * what our model predicts (Smile's model has a zero mean: it is given the outputs less our fitted
 * constant, which is then added back).
 */
class SmileCrossCheckTest {

  @Test
  void smileRegressionWithOurKernelPredictsTheSameMean() {
    SplittableRandom r = new SplittableRandom(12);
    int n = 30;
    double[][] x = new double[n][];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      y[i] = 10 + 3 * Math.sin(4 * x[i][0]) + x[i][1] - 2 * x[i][2] * x[i][2];
    }
    GaussianProcess ours = GaussianProcess.fit(x, y, 1);
    double[] standardised = new double[n];
    for (int i = 0; i < n; i++) standardised[i] = ours.standardise(y[i]) - ours.constantMean();
    GaussianProcessRegression<double[]> smile =
        GaussianProcessRegression.fit(
            x, standardised, (ArdMatern52) ours.kernel(), ours.noiseVariance(), false, 1e-5, 0);
    for (int k = 0; k < 20; k++) {
      double[] at = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      assertEquals(smile.predict(at) + ours.constantMean(), ours.predict(at).mean(), 1e-6);
    }
  }
}
