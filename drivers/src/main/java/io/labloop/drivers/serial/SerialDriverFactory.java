package io.labloop.drivers.serial;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.DriverFactory;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.util.ArrayList;
import java.util.List;

/** {@code driver: serial}. Public only for {@link java.util.ServiceLoader}. */
public final class SerialDriverFactory implements DriverFactory {

  @Override
  public String type() {
    return "serial";
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    List<SettingsProblem> problems = new ArrayList<>();
    SerialSettings.read(Section.of(spec.section(), problems));
    return problems;
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    List<SettingsProblem> problems = new ArrayList<>();
    SerialSettings settings = SerialSettings.read(Section.of(spec.section(), problems));
    if (!problems.isEmpty())
      throw new IllegalArgumentException("instrument '" + spec.name() + "': " + problems);
    return new SerialInstrument(
        spec.name(), settings, () -> new JSerialCommLine(settings), bridges);
  }
}
