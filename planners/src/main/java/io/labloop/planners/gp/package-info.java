/**
 * Gaussian-process regression for the Bayesian planner, and the only package that uses Smile:
 * an ARD Matérn-5/2 {@code MercerKernel} (and, for spaces with categorical parameters, a
 * categorical kernel combined with it as sum and product), hyperparameters fitted by maximising the marginal
 * likelihood from several starts with Smile's bounded L-BFGS, the posterior over a whole
 * candidate set from one triangular solve, kriging-believer fantasies, and a bounded L-BFGS
 * maximiser that the acquisition polishing uses.
 */
@NullMarked
package io.labloop.planners.gp;

import org.jspecify.annotations.NullMarked;
