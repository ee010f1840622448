/**
 * The standard benchmark functions of optimisation (Branin, Hartmann, Ackley, Levy, Rosenbrock)
 * with their domains and known minima, looked up by name through {@link
 * io.labloop.simulators.functions.TestFunctions}. They live here once: the virtual lab's "named
 * function" world models and {@code labloop bench planners} both use them.
 */
@NullMarked
package io.labloop.simulators.functions;

import org.jspecify.annotations.NullMarked;
