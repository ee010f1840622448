package io.labloop.planners.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A Gaussian-process regression model on inputs in the unit cube, with an ARD Matérn-5/2 kernel, a
 * constant mean and Gaussian noise. When some inputs are the one-hot columns of categorical
 * parameters the kernel is the {@link MixedKernel} instead: Matérn-5/2 on the continuous columns
 * and a categorical kernel ("same value or not") on the categorical parameters, as sum and product.
 *
 * <p>Fitting: outputs are standardised; the length-scales, signal variance and noise variance are
 * the maximum a posteriori estimate under the Gamma priors of {@link Priors} (the defaults of
 * BoTorch's {@code SingleTaskGP}), searched in log space by bounded L-BFGS from several starts —
 * one start often stops in a poor local optimum — keeping the best posterior. (The search is {@link
 * BoxLbfgs}, projected L-BFGS on the box of the bounds below.) The noise is fitted, not fixed
 * small: on a rugged function the model may explain short-range structure as noise and follow the
 * smooth trend. The gradient of the marginal likelihood is {@code ½ tr((ααᵀ - K⁻¹) ∂K/∂θ)}.
 *
 * <p>The constant mean is fitted too (profiled out: for given hyperparameters its best value is the
 * generalised least-squares estimate {@code 1ᵀK⁻¹y / 1ᵀK⁻¹1}), as GPyTorch's {@code ConstantMean}
 * is. It matters where no data are: there the model reverts to this constant. Fixed at the sample
 * mean, a few very good points would drag it down and make every unexplored corner look promising;
 * fitted, it sits at the level of the bulk of the function and a good region is modelled as the
 * local dip it is.
 *
 * <p>Size: beyond {@value #FIT_SUBSET} observations the hyperparameters are fitted on a subset (the
 * best quarter plus a seeded random rest), and beyond {@value #POSTERIOR_SUBSET} the posterior is
 * conditioned on a subset chosen the same way (subset of data); this keeps a suggestion within
 * seconds at thousands of observations.
 *
 * <p>Pending and batch points are handled by {@link #believe}: the point is added as if observed at
 * the predicted mean (kriging believer), which leaves the mean unchanged and shrinks the variance
 * around it.
 */
public final class GaussianProcess {

  static final int FIT_SUBSET = 120;
  static final int POSTERIOR_SUBSET = 1000;

  /**
   * Slice-sampling bracket in log hyperparameter units (a factor e), and burn-in sweeps from the
   * mode.
   */
  private static final double SAMPLE_WIDTH = 1.0;

  static final int SAMPLE_BURN_IN = 4;
  static final double LOG_L_MIN = Math.log(0.01);
  static final double LOG_L_MAX = Math.log(50);
  static final double LOG_S2_MIN = Math.log(1e-3);
  static final double LOG_S2_MAX = Math.log(1e3);
  private static final double LOG_NOISE_MIN = Math.log(Priors.MIN_NOISE);
  private static final double LOG_NOISE_MAX = Math.log(20);

  private final Covariance kernel;
  private final double noise;
  private final double yMean;
  private final double yScale;
  private final double[][] meanPoints;
  private final double[] alpha;

  /** The fitted constant prior mean (standardised units). */
  private final double constant;

  private final List<double[]> variancePoints;
  private final Cholesky factor;
  private final double logLikelihood;

  private GaussianProcess(
      Covariance kernel,
      double noise,
      double yMean,
      double yScale,
      double[][] points,
      double[] standardised,
      double logLikelihood) {
    this.kernel = kernel;
    this.noise = noise;
    this.yMean = yMean;
    this.yScale = yScale;
    this.meanPoints = points;
    this.factor = Cholesky.factor(covariance(kernel, noise, points));
    this.constant = constantMean(factor, standardised);
    double[] residual = new double[standardised.length];
    for (int i = 0; i < residual.length; i++) residual[i] = standardised[i] - constant;
    this.alpha = factor.solve(residual);
    this.variancePoints = new ArrayList<>(Arrays.asList(points));
    this.logLikelihood = logLikelihood;
  }

  /**
   * Fits a model to {@code x} (rows in [0, 1]^d) and {@code y}. Deterministic for a given seed.
   *
   * @throws IllegalArgumentException if there are no rows
   */
  public static GaussianProcess fit(double[][] x, double[] y, long seed) {
    int[] own = IntStream.range(0, x.length == 0 ? 0 : x[0].length).toArray();
    return fit(x, y, seed, own);
  }

  /**
   * As {@link #fit(double[][], double[], long)}, with length-scales shared within groups: {@code
   * group[j]} is the group of input column j (numbered from 0). The one-hot columns of a
   * categorical parameter share one length-scale, so a 12-value ligand costs one hyperparameter,
   * not twelve fitted from a handful of points.
   */
  public static GaussianProcess fit(double[][] x, double[] y, long seed, int[] group) {
    return fit(x, y, seed, group, new boolean[Arrays.stream(group).max().orElse(-1) + 1]);
  }

  /**
   * As {@link #fit(double[][], double[], long, int[])}, where {@code categorical[g]} says that
   * group g is the one-hot columns of a categorical parameter. If any is, the covariance is the
   * {@link MixedKernel} (continuous Matérn-5/2 and a categorical kernel, as sum and product);
   * otherwise the ARD Matérn-5/2.
   */
  public static GaussianProcess fit(
      double[][] x, double[] y, long seed, int[] group, boolean[] categorical) {
    return fit(x, y, seed, group, categorical, NoiseModel.FITTED);
  }

  /**
   * As {@link #fit(double[][], double[], long, int[], boolean[])}, with the noise either fitted or
   * held at a known value ({@link NoiseModel}); a held noise is not searched, every other
   * hyperparameter is.
   */
  public static GaussianProcess fit(
      double[][] x,
      double[] y,
      long seed,
      int[] group,
      boolean[] categorical,
      NoiseModel noiseModel) {
    return fitSamples(x, y, seed, group, categorical, noiseModel, 0).get(0);
  }

  /**
   * The posterior over hyperparameters, as models: first the model at the maximum a posteriori (as
   * {@link #fit}), then {@code samples} models (none if 0) whose hyperparameters are drawn from the
   * posterior (marginal likelihood × {@link Priors}) by {@link SliceSampler}, in log space, within
   * the same bounds as the fit, from a chain started at the maximum a posteriori ({@value
   * #SAMPLE_BURN_IN} sweeps of burn-in, then one draw per sweep). Deterministic for a given seed.
   */
  public static List<GaussianProcess> fitSamples(
      double[][] x,
      double[] y,
      long seed,
      int[] group,
      boolean[] categorical,
      NoiseModel noiseModel,
      int samples) {
    if (x.length == 0 || x.length != y.length)
      throw new IllegalArgumentException("need as many outputs as inputs, at least one");
    int d = Arrays.stream(group).max().orElse(-1) + 1;
    double mean = Arrays.stream(y).average().orElse(0);
    double var =
        Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, y.length - 1);
    double scale = var > 1e-300 ? Math.sqrt(var) : 1;
    double[] z = Arrays.stream(y).map(v -> (v - mean) / scale).toArray();

    int[] fitRows = subset(z, FIT_SUBSET, seed);
    double[][] fx = rows(x, fitRows);
    double[] fz = values(z, fitRows);
    MarginalLikelihood likelihood = new MarginalLikelihood(fx, fz, group, categorical);
    int size = likelihood.size();
    double[] best = null;
    double bestValue = Double.POSITIVE_INFINITY;
    double[] lo = new double[size];
    double[] hi = new double[size];
    Arrays.fill(lo, 0, d, LOG_L_MIN);
    Arrays.fill(hi, 0, d, LOG_L_MAX);
    Arrays.fill(lo, d, size - 1, LOG_S2_MIN);
    Arrays.fill(hi, d, size - 1, LOG_S2_MAX);
    lo[size - 1] = LOG_NOISE_MIN;
    hi[size - 1] = LOG_NOISE_MAX;
    double fixedNoise = noiseModel.standardisedVariance(scale);
    if (!Double.isNaN(fixedNoise)) {
      // A box of width zero: the search holds the noise where the campaign says it is.
      lo[size - 1] = Math.log(fixedNoise);
      hi[size - 1] = lo[size - 1];
    }
    // With several signal variances (mixed kernel) each starts at an equal share of the start's.
    double share = 1.0 / (size - 1 - d);
    for (Priors.Start start : Priors.STARTS) {
      double[] theta = new double[size];
      Arrays.fill(theta, 0, d, Math.log(start.lengthscale()));
      Arrays.fill(theta, d, size - 1, Math.log(start.signalVariance() * share));
      theta[size - 1] = Double.isNaN(fixedNoise) ? Math.log(start.noise()) : lo[size - 1];
      theta = BoxLbfgs.minimize(likelihood::g, theta, lo, hi, 1e-5, 50).x();
      double value = likelihood.f(theta);
      if (value < bestValue) {
        bestValue = value;
        best = theta.clone();
      }
    }
    if (best == null) {
      // Every start failed (non-finite likelihood): fall back to moderate defaults.
      best = new double[size];
      Arrays.fill(best, 0, d, Math.log(Priors.LENGTHSCALE.mode()));
      Arrays.fill(best, d, size - 1, Math.log(Priors.SIGNAL_VARIANCE.mode() * share));
      best[size - 1] = Double.isNaN(fixedNoise) ? Math.log(Priors.NOISE.mode()) : lo[size - 1];
    }
    int[] postRows = subset(z, POSTERIOR_SUBSET, seed + 1);
    double[][] px = rows(x, postRows);
    double[] pz = values(z, postRows);
    if (samples <= 0) {
      return List.of(
          new GaussianProcess(
              likelihood.kernel(best), Math.exp(best[size - 1]), mean, scale, px, pz, -bestValue));
    }
    List<double[]> draws =
        SliceSampler.sample(
            theta -> -likelihood.f(theta),
            best,
            lo,
            hi,
            SAMPLE_WIDTH,
            SAMPLE_BURN_IN,
            samples,
            1,
            seed + 2);
    List<GaussianProcess> out = new ArrayList<>(draws.size() + 1);
    out.add(
        new GaussianProcess(
            likelihood.kernel(best), Math.exp(best[size - 1]), mean, scale, px, pz, -bestValue));
    for (double[] theta : draws) {
      out.add(
          new GaussianProcess(
              likelihood.kernel(theta),
              Math.exp(theta[size - 1]),
              mean,
              scale,
              px,
              pz,
              -likelihood.f(theta)));
    }
    return out;
  }

  /** Length-scale of input {@code i}, in unit-cube units. */
  public double lengthscale(int i) {
    return kernel.lengthscale(i);
  }

  /** Signal standard deviation, in output units. */
  public double signalSd() {
    return Math.sqrt(kernel.variance()) * yScale;
  }

  /** Noise standard deviation, in output units. */
  public double noiseSd() {
    return Math.sqrt(noise) * yScale;
  }

  /** Log marginal likelihood (with prior) of the fitted hyperparameters, standardised outputs. */
  public double logLikelihood() {
    return logLikelihood;
  }

  public int dimension() {
    return kernel.dimension();
  }

  /**
   * Adds {@code x} as a fantasy observation at the predicted mean (kriging believer). The mean
   * stays the same everywhere; the variance near {@code x} shrinks to the noise level.
   */
  public void believe(double[] x) {
    double[] k = new double[factor.size];
    for (int i = 0; i < k.length; i++) k[i] = kernel.k(variancePoints.get(i), x);
    factor.append(k, kernel.variance() + noise);
    variancePoints.add(x.clone());
  }

  /**
   * The posterior at every candidate from one triangular solve {@code V = L⁻¹ K(X, C)} over the
   * whole candidate matrix; the result can then follow {@link CandidatePosterior#believe} updates
   * in O(n·m) each.
   */
  public CandidatePosterior posterior(double[][] candidates) {
    int m = candidates.length;
    int n = factor.size;
    double[] mean = new double[m];
    for (int c = 0; c < m; c++) {
      double s = constant;
      for (int i = 0; i < meanPoints.length; i++)
        s += kernel.k(meanPoints[i], candidates[c]) * alpha[i];
      mean[c] = s;
    }
    double[][] v = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] row = new double[m];
      double[] p = variancePoints.get(i);
      for (int c = 0; c < m; c++) row[c] = kernel.k(p, candidates[c]);
      double[] li = factor.rows[i];
      for (int k = 0; k < i; k++) {
        double lik = li[k];
        if (lik == 0) continue;
        double[] vk = v[k];
        for (int c = 0; c < m; c++) row[c] -= lik * vk[c];
      }
      double diag = li[i];
      for (int c = 0; c < m; c++) row[c] /= diag;
      v[i] = row;
    }
    double[] variance = new double[m];
    for (int c = 0; c < m; c++) variance[c] = kernel.variance();
    for (int i = 0; i < n; i++) {
      double[] vi = v[i];
      for (int c = 0; c < m; c++) variance[c] -= vi[c] * vi[c];
    }
    for (int c = 0; c < m; c++) variance[c] = Math.max(variance[c], 1e-12 * kernel.variance());
    return new CandidatePosterior(this, candidates, mean, variance, v);
  }

  /**
   * The posterior mean (standardised units) at each row of {@code x}; no variances, O(n) per row.
   */
  public double[] means(double[][] x) {
    double[] out = new double[x.length];
    for (int c = 0; c < x.length; c++) {
      double s = constant;
      for (int i = 0; i < meanPoints.length; i++) s += kernel.k(meanPoints[i], x[c]) * alpha[i];
      out[c] = s;
    }
    return out;
  }

  /** Mean and variance (standardised units) at x, and their gradients with respect to x. */
  public Prediction predict(double[] x) {
    int d = x.length;
    double mean = constant;
    double[] dMean = new double[d];
    for (int i = 0; i < meanPoints.length; i++) {
      double[] p = meanPoints[i];
      mean += kernel.k(x, p) * alpha[i];
      kernel.addInputGradient(x, p, alpha[i], dMean);
    }
    int n = factor.size;
    double[] k = new double[n];
    for (int i = 0; i < n; i++) k[i] = kernel.k(x, variancePoints.get(i));
    double[] v = factor.forward(k);
    double variance = kernel.variance();
    for (double vi : v) variance -= vi * vi;
    double[] w = factor.backward(v);
    double[] dVariance = new double[d];
    // variance = s² - kᵀK⁻¹k, so ∂variance/∂x = -2 Σ_i (K⁻¹k)_i ∂k_i/∂x.
    for (int i = 0; i < n; i++)
      kernel.addInputGradient(x, variancePoints.get(i), -2 * w[i], dVariance);
    return new Prediction(mean, Math.max(variance, 1e-12 * kernel.variance()), dMean, dVariance);
  }

  /**
   * The prior correlation between two differences: f(a1) − f(b1) and f(a2) − f(b2). With a1, b1 two
   * conditions in one task and a2, b2 the same conditions in another, it says how far the tasks
   * agree on which of the two conditions is better, whatever constant offset lies between them.
   */
  public double differenceCorrelation(double[] a1, double[] b1, double[] a2, double[] b2) {
    double cov = kernel.k(a1, a2) - kernel.k(a1, b2) - kernel.k(b1, a2) + kernel.k(b1, b2);
    double v1 = kernel.k(a1, a1) - 2 * kernel.k(a1, b1) + kernel.k(b1, b1);
    double v2 = kernel.k(a2, a2) - 2 * kernel.k(a2, b2) + kernel.k(b2, b2);
    return v1 > 1e-12 && v2 > 1e-12 ? cov / Math.sqrt(v1 * v2) : 0;
  }

  /** Converts a standardised mean to output units. */
  public double toOutput(double standardisedMean) {
    return yMean + yScale * standardisedMean;
  }

  /** Converts a standardised value (a standard deviation, a difference) to output units. */
  public double toOutputScale(double standardised) {
    return yScale * standardised;
  }

  /** Converts an output value to standardised units. */
  public double standardise(double output) {
    return (output - yMean) / yScale;
  }

  /** The fitted constant prior mean, standardised units. */
  double constantMean() {
    return constant;
  }

  Covariance kernel() {
    return kernel;
  }

  double noiseVariance() {
    return noise;
  }

  double kernelValue(double[] a, double[] b) {
    return kernel.k(a, b);
  }

  Cholesky factor() {
    return factor;
  }

  List<double[]> variancePoints() {
    return variancePoints;
  }

  double signalVariance() {
    return kernel.variance();
  }

  /**
   * The maximum-likelihood constant mean for a covariance factor: the generalised least-squares
   * estimate {@code 1ᵀK⁻¹y / 1ᵀK⁻¹1}.
   */
  static double constantMean(Cholesky chol, double[] y) {
    double[] ones = new double[y.length];
    Arrays.fill(ones, 1);
    double[] w = chol.solve(ones);
    double num = 0;
    double den = 0;
    for (int i = 0; i < y.length; i++) {
      num += w[i] * y[i];
      den += w[i];
    }
    return den > 0 && Double.isFinite(num / den) ? num / den : 0;
  }

  /** The best quarter of rows by output (lowest, i.e. best loss) plus a seeded random rest. */
  private static int[] subset(double[] z, int limit, long seed) {
    int n = z.length;
    if (n <= limit) return IntStream.range(0, n).toArray();
    Integer[] order =
        IntStream.range(0, n)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> z[i]))
            .toArray(Integer[]::new);
    int best = limit / 4;
    List<Integer> rest = new ArrayList<>(Arrays.asList(order).subList(best, n));
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = rest.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer t = rest.get(i);
      rest.set(i, rest.get(j));
      rest.set(j, t);
    }
    int[] out = new int[limit];
    for (int i = 0; i < best; i++) out[i] = order[i];
    for (int i = best; i < limit; i++) out[i] = rest.get(i - best);
    Arrays.sort(out);
    return out;
  }

  private static double[][] rows(double[][] x, int[] idx) {
    double[][] out = new double[idx.length][];
    for (int i = 0; i < idx.length; i++) out[i] = x[idx[i]];
    return out;
  }

  private static double[] values(double[] z, int[] idx) {
    double[] out = new double[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = z[idx[i]];
    return out;
  }

  static double[][] covariance(Covariance kernel, double noise, double[][] x) {
    int n = x.length;
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double v = kernel.k(x[i], x[j]);
        k[i][j] = v;
        k[j][i] = v;
      }
      k[i][i] = kernel.variance() + noise;
    }
    return k;
  }

  /** Mean and variance in standardised units and their gradients with respect to the input. */
  public record Prediction(double mean, double variance, double[] dMean, double[] dVariance) {}
}
