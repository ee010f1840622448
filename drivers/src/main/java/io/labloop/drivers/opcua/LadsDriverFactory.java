package io.labloop.drivers.opcua;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.DriverFactory;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code driver: lads}: an OPC UA LADS device (OPC 30500). Public only for {@link
 * java.util.ServiceLoader}.
 */
public final class LadsDriverFactory implements DriverFactory {

  @Override
  public String type() {
    return "lads";
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    List<SettingsProblem> problems = new ArrayList<>();
    LadsSettings.read(Section.of(spec.section(), problems), dataDir(spec));
    return problems;
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    List<SettingsProblem> problems = new ArrayList<>();
    LadsSettings settings = LadsSettings.read(Section.of(spec.section(), problems), dataDir(spec));
    if (!problems.isEmpty())
      throw new IllegalArgumentException("instrument '" + spec.name() + "': " + problems);
    return new LadsInstrument(spec.name(), settings, bridges);
  }

  private static Path dataDir(InstrumentSpec spec) {
    return spec.dataDir() == null ? Path.of("labloop-data") : spec.dataDir();
  }
}
