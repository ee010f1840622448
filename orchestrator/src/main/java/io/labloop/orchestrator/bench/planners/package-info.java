/**
 * {@code labloop bench planners}: planners on benchmark problems (test functions, an expression, a
 * replayed dataset as a discrete pool), several seeds each, reported as simple regret after every
 * evaluation, evaluations to the top 1 % and wall time per suggestion.
 */
@NullMarked
package io.labloop.orchestrator.bench.planners;

import org.jspecify.annotations.NullMarked;
