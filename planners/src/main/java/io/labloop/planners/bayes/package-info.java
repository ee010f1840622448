/**
 * The {@code bayesian} planner: Gaussian-process Bayesian optimisation over the unit-cube encoding
 * of the space, with log-EI / UCB / PI acquisitions or a GP-Hedge portfolio of the three, a trust
 * region for continuous searches, batches and pending points by kriging believer, a feasibility
 * model for failed experiments, targets, two or three objectives by expected hypervolume
 * improvement (or random Chebyshev scalarisation, ParEGO), candidate pools, warm starts from
 * earlier data of the same or related settings, and hyperparameter draws averaged over. The model
 * itself is in {@code io.labloop.planners.gp}.
 */
@NullMarked
package io.labloop.planners.bayes;

import org.jspecify.annotations.NullMarked;
