/**
 * The serial-line driver ({@code driver: serial}, jSerialComm): one text command, one text reply,
 * on a port the driver holds exclusively.
 *
 * <p>Instrument keys: {@code port} (required: {@code /dev/ttyUSB0}, {@code COM3}, or a symlink such
 * as the virtual lab's), {@code baud} (9600), {@code data-bits} (5-8, default 8), {@code parity}
 * ({@code none|even|odd|mark|space}), {@code stop-bits} ({@code 1|1.5|2}), {@code flow-control}
 * ({@code none|rts-cts|xon-xoff}), {@code terminator} (what ends a line both ways, default {@code
 * "\n"}; incoming {@code "\r"} before it is dropped), {@code late-reply-wait} (after a timeout, how
 * long the next command first listens for the timed-out command's reply, to drop it; default {@code
 * 1s}, at most half the next command's timeout; {@code 0s} to send at once), {@code commands}.
 *
 * <p>Command keys: {@code send} (required, a template: {@code "MEAS {sampleId}"}), {@code expect}
 * (a regex the whole reply must match; its named groups are the outputs, numbers as Double), {@code
 * error} (a regex for a refusal; its {@code message} group, if any, becomes the error message),
 * {@code lines} (a reply of exactly N lines, matched joined by {@code "\n"}) or {@code end} (lines
 * up to one equal to this marker), {@code delay} (how long the instrument needs after this command
 * before the next one, e.g. {@code 200ms}). Without {@code expect} any reply that is not an error
 * is accepted (no outputs).
 *
 * <p>Recovery: a failed read or write closes the port; the next command (or {@code connect()})
 * opens it again by path, so a USB adapter that is unplugged and plugged back, or a device that
 * restarts, is picked up without restarting LabLoop. Bytes waiting before a command is sent (a late
 * reply to a command that timed out) are dropped and logged, and so is a late reply that comes
 * within {@code late-reply-wait} of its command's timeout (see {@code SerialInstrument}).
 */
@NullMarked
package io.labloop.drivers.serial;

import org.jspecify.annotations.NullMarked;
