package io.labloop.planners.gp;

/**
 * A covariance function of a {@link GaussianProcess}, with the derivatives the model needs: with
 * respect to its log-hyperparameters (for the marginal-likelihood fit) and with respect to the
 * first input (for polishing an acquisition function by gradient ascent).
 *
 * <p>Hyperparameter layout, shared with {@link MarginalLikelihood}: one log length-scale per group
 * of columns (a parameter), indexed by the group number; then the log signal variance(s); the log
 * noise variance is last and is not the kernel's.
 */
interface Covariance {

  /** The covariance of the latent function at x and y. */
  double k(double[] x, double[] y);

  /** The prior variance k(x, x), the same everywhere (the kernel is stationary). */
  double variance();

  /** Length-scale of input column {@code j}, in unit-cube units. */
  double lengthscale(int j);

  /** Number of input columns. */
  int dimension();

  /**
   * Adds {@code weight · ∂k(x, y)/∂θ_i} to {@code gradient[i]} for every log-hyperparameter θ_i of
   * the kernel ({@code group} maps an input column to its length-scale's index).
   */
  void addHyperparameterGradient(
      double[] x, double[] y, double weight, int[] group, double[] gradient);

  /** Adds {@code weight · ∂k(x, y)/∂x_j} to {@code gradient[j]} for every input column j. */
  void addInputGradient(double[] x, double[] y, double weight, double[] gradient);
}
