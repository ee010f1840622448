/**
 * Pareto fronts and their hypervolume, for campaigns with two or more objectives. Values are losses
 * (smaller is better), as produced by {@link io.labloop.planners.Objective#loss}.
 */
@NullMarked
package io.labloop.planners.pareto;

import org.jspecify.annotations.NullMarked;
