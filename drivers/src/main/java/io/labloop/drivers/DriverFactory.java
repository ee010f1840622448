package io.labloop.drivers;

import io.labloop.settings.SettingsProblem;
import java.util.List;

/**
 * Builds instruments of one driver type. The built-in factories (opcua, serial, mqtt) are found
 * like any other, through {@link java.util.ServiceLoader}: a lab adds a driver written in Java by
 * putting a jar with a {@code META-INF/services/io.labloop.drivers.DriverFactory} entry on the
 * class path.
 */
public interface DriverFactory {

  /** The value of {@code driver:} in the lab file that selects this factory. */
  String type();

  /** Every problem in the section (unknown keys, bad values); empty if it can be built. */
  List<SettingsProblem> check(InstrumentSpec spec);

  /**
   * Builds the instrument; does not connect. Instruments that talk to the same server or broker
   * share one connection through {@code bridges}.
   */
  Instrument create(InstrumentSpec spec, Bridges bridges);
}
