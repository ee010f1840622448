/**
 * Model-free designs and the unit-cube encoding every planner shares: {@code random}, scrambled
 * {@code sobol}, {@code lhs} (Latin hypercube), {@code grid} and {@code replay} (points from a
 * CSV), created through {@link io.labloop.planners.design.Designs}. The Bayesian planner uses the
 * same {@link io.labloop.planners.design.UnitCube} and {@link io.labloop.planners.design.Sobol} for
 * its initial design and its candidate sets.
 */
@NullMarked
package io.labloop.planners.design;

import org.jspecify.annotations.NullMarked;
