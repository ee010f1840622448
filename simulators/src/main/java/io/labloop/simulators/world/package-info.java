/**
 * The virtual world behind the simulated instruments: response models that map the conditions of a
 * synthesis to the true properties of the sample it makes ({@link
 * io.labloop.simulators.world.WorldModel}: the built-in silver-nanoparticle chemistry, one
 * expression per output, replay of a CSV dataset, a named benchmark function), and the {@link
 * io.labloop.simulators.world.VirtualWorld} that keeps the samples, so that every measurer reports
 * properties of the same physical sample, with its own noise and drift.
 */
@NullMarked
package io.labloop.simulators.world;

import org.jspecify.annotations.NullMarked;
