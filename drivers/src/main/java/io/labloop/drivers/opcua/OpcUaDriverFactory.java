package io.labloop.drivers.opcua;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.DriverFactory;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.util.ArrayList;
import java.util.List;

/** {@code driver: opcua}. Public only for {@link java.util.ServiceLoader}. */
public final class OpcUaDriverFactory implements DriverFactory {

  @Override
  public String type() {
    return "opcua";
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    List<SettingsProblem> problems = new ArrayList<>();
    OpcUaSettings.read(Section.of(spec.section(), problems), dataDir(spec));
    return problems;
  }

  private static java.nio.file.Path dataDir(InstrumentSpec spec) {
    return spec.dataDir() == null ? java.nio.file.Path.of("labloop-data") : spec.dataDir();
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    List<SettingsProblem> problems = new ArrayList<>();
    OpcUaSettings settings =
        OpcUaSettings.read(Section.of(spec.section(), problems), dataDir(spec));
    if (!problems.isEmpty())
      throw new IllegalArgumentException("instrument '" + spec.name() + "': " + problems);
    return new OpcUaInstrument(spec.name(), settings, bridges);
  }
}
