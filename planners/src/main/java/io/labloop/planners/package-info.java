/**
 * The planning domain: what can be varied ({@link io.labloop.planners.Space} of {@link
 * io.labloop.planners.Parameter}s and constraints), what is wanted ({@link
 * io.labloop.planners.Objective}), what happened ({@link io.labloop.planners.Observation}) and the
 * {@link io.labloop.planners.Planner} contract that turns those into the next {@link
 * io.labloop.planners.Suggestion}s.
 *
 * <p>This module knows nothing of instruments, protocols or storage. A planner keeps no hidden
 * state that is not rebuilt from a {@link io.labloop.planners.PlanningState} and its seed, so a
 * restarted daemon plans exactly as it would have.
 */
@NullMarked
package io.labloop.planners;

import org.jspecify.annotations.NullMarked;
