package io.labloop.planners.bayes;

import io.labloop.planners.Planner;
import io.labloop.planners.gp.NoiseModel;

/** Builds the {@code bayesian} planner. */
public final class Bayesian {

  /**
   * Hyperparameter draws the acquisition is averaged over while data are few (see the planner):
   * none by default, the maximum a posteriori fit alone. 16 draws were measured
   * (docs/benchmarks.md): better on hartmann6 at 40 evaluations, worse on branin at 20 and 40, so
   * they are an option.
   */
  public static final int DEFAULT_HYPERPARAMETER_SAMPLES = 0;

  /** Whether a continuous search is confined to a trust region (docs/benchmarks.md). */
  public static final boolean DEFAULT_TRUST_REGION = true;

  /** {@link Builder#initial} value meaning "max(5, 2 × parameters)". */
  public static final int AUTO_INITIAL = -1;

  /** How a candidate's predicted mean and uncertainty are turned into one score. */
  public enum Acquisition {
    /** Expected improvement over the best loss so far, computed as log-EI. */
    EI,
    /** Upper confidence bound on the improvement: -(mean - sqrt(beta) × sd) of the loss. */
    UCB,
    /** Probability of improving on the best loss so far. */
    PI,
    /**
     * GP-Hedge: EI, PI and UCB each propose a point and one is drawn with probability
     * softmax(-predicted loss at the proposals) (see the planner's class comment).
     */
    HEDGE
  }

  /** How two or three objectives are combined (more than three always use ParEGO). */
  public enum MultiObjective {
    /** Exact expected hypervolume improvement, one model per objective (the default). */
    EHVI,
    /**
     * ParEGO: one model of a random augmented-Chebyshev scalarisation, with {@link Acquisition}.
     */
    PAREGO
  }

  private Bayesian() {}

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    long seed;
    int initial = AUTO_INITIAL;
    Acquisition acquisition = Acquisition.EI;
    double beta = 2.0;
    int candidates = 2048;
    NoiseModel noise = NoiseModel.FITTED;
    MultiObjective multiObjective = MultiObjective.EHVI;
    int hyperparameterSamples = DEFAULT_HYPERPARAMETER_SAMPLES;
    boolean trustRegion = DEFAULT_TRUST_REGION;

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder initial(int initial) {
      this.initial = initial;
      return this;
    }

    public Builder acquisition(Acquisition acquisition) {
      this.acquisition = acquisition;
      return this;
    }

    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /**
     * What the model assumes about measurement noise (default: fitted, the campaign's {@code noise:
     * auto}).
     */
    public Builder noise(NoiseModel noise) {
      this.noise = noise;
      return this;
    }

    /** How several objectives are combined (default {@link MultiObjective#EHVI}). */
    public Builder multiObjective(MultiObjective multiObjective) {
      this.multiObjective = multiObjective;
      return this;
    }

    /**
     * How many hyperparameter draws the acquisition is averaged over while the model has few
     * observations (default {@value Bayesian#DEFAULT_HYPERPARAMETER_SAMPLES}); 0 uses the maximum a
     * posteriori fit only.
     */
    public Builder hyperparameterSamples(int samples) {
      this.hyperparameterSamples = samples;
      return this;
    }

    /**
     * Whether the model-based search is confined to a TuRBO-style trust region around the best
     * point (continuous spaces without prior data; see {@code TrustRegion}).
     */
    public Builder trustRegion(boolean trustRegion) {
      this.trustRegion = trustRegion;
      return this;
    }

    /** Size of the Sobol candidate set scored per suggestion (default 2048). */
    public Builder candidates(int candidates) {
      this.candidates = candidates;
      return this;
    }

    public Planner build() {
      return new BayesianPlanner(this);
    }
  }
}
