/**
 * A simulated instrument's behaviour, whatever protocol it speaks: it journals each command, meets
 * the faults its plan draws, takes its (time-scaled) time, makes or measures samples of the virtual
 * world, and keeps the state a client can read (Idle/Busy/Error, temperature, door). The protocol
 * packages ({@code opcua}, {@code serial}, {@code mqtt}) only translate.
 */
@NullMarked
package io.labloop.simulators.instrument;

import org.jspecify.annotations.NullMarked;
