/**
 * The {@code bayesian} planner: Gaussian-process Bayesian optimisation over the unit-cube encoding
 * of the space, with log-EI / UCB / PI acquisitions or a GP-Hedge portfolio of the three, batches
 * and pending points by kriging believer, a feasibility model for failed experiments, targets,
 * several objectives by random Chebyshev scalarisation (ParEGO), and candidate pools. The model
 * itself is in {@code io.labloop.planners.gp}.
 */
@NullMarked
package io.labloop.planners.bayes;

import org.jspecify.annotations.NullMarked;
