/**
 * The instrument SPI: {@link io.labloop.drivers.Instrument}, {@link io.labloop.drivers.Command},
 * {@link io.labloop.drivers.Reply}, {@link io.labloop.drivers.InstrumentError} and {@link
 * io.labloop.drivers.InstrumentStatus}, plus {@link io.labloop.drivers.DriverFactory}, the {@link
 * java.util.ServiceLoader} hook through which a lab adds a driver written in Java.
 *
 * <p>Drivers are built from an instrument's section of {@code lab.yaml} ({@link
 * io.labloop.drivers.InstrumentSpec}); node ids, topics, command strings and reply formats come
 * from that section, never from constants in code. The protocol drivers live in sub-packages {@code
 * opcua}, {@code serial} and {@code mqtt}.
 */
@NullMarked
package io.labloop.drivers;

import org.jspecify.annotations.NullMarked;
