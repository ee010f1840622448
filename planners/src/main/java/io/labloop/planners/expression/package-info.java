/**
 * The one expression language of LabLoop: constraints ({@code temperature * time <= 6000}) and
 * {@code labloop bench planners --expression}. It is EvalEx (an expression library, never a script
 * engine) with a fixed set of functions computed in double precision, and with bounds on what an
 * expression may cost: {@link io.labloop.planners.expression.ExpressionRules} owns the size and
 * nesting limits and the function table; every operation then takes constant time, so that a text a
 * user or a token holder sends can neither hang a core nor overflow the stack.
 */
@NullMarked
package io.labloop.planners.expression;

import org.jspecify.annotations.NullMarked;
