/**
 * Gaussian-process regression for the Bayesian planner, and the only package that uses Smile (for
 * its {@code MercerKernel} and function interfaces): an ARD Matérn-5/2 kernel (and, for spaces with
 * categorical parameters, a categorical kernel combined with it as sum and product),
 * hyperparameters fitted by maximising the marginal likelihood from several starts with our
 * projected L-BFGS ({@link io.labloop.planners.gp.BoxLbfgs}) or drawn from their posterior by
 * {@link io.labloop.planners.gp.SliceSampler}, the noise fitted or held ({@link
 * io.labloop.planners.gp.NoiseModel}), the posterior over a whole candidate set from one triangular
 * solve, kriging-believer fantasies, and the bounded maximiser that the acquisition polishing uses.
 */
@NullMarked
package io.labloop.planners.gp;

import org.jspecify.annotations.NullMarked;
