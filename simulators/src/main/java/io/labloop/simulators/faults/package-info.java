/**
 * Faults a simulated instrument can be told to show, so that drivers and campaigns are tested on
 * the failures real instruments have: per instrument, by seeded rates from the lab file's {@code
 * simulation.faults} block and on demand at run time ({@link
 * io.labloop.simulators.faults.FaultPlan#next}).
 */
@NullMarked
package io.labloop.simulators.faults;

import org.jspecify.annotations.NullMarked;
