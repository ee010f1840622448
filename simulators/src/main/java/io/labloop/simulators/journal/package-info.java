/**
 * What reached each simulated instrument: one append-only file per instrument in the lab's work
 * folder, written before the command is acted on, so that the counts survive a killed process (the
 * orchestrator's crash test checks that no non-idempotent command reached an instrument twice).
 */
@NullMarked
package io.labloop.simulators.journal;

import org.jspecify.annotations.NullMarked;
