/**
 * Serial instruments on pseudo-terminals: the device holds the master side, a client (jSerialComm
 * or plain file I/O) opens the slave through a stable symlink at the lab file's {@code port}, and
 * they talk a SCPI-style line protocol.
 */
@NullMarked
package io.labloop.simulators.serial;

import org.jspecify.annotations.NullMarked;
