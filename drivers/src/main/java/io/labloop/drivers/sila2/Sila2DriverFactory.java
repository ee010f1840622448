package io.labloop.drivers.sila2;

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
 * {@code driver: sila2}: a SiLA 2 server. Public only for {@link java.util.ServiceLoader}. The SiLA
 * framework's descriptors are read once per factory and shared by its instruments.
 */
public final class Sila2DriverFactory implements DriverFactory {

  private volatile SilaConnection.Protocol protocol;

  @Override
  public String type() {
    return "sila2";
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings.read(Section.of(spec.section(), problems), dataDir(spec));
    return problems;
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    List<SettingsProblem> problems = new ArrayList<>();
    Sila2Settings settings =
        Sila2Settings.read(Section.of(spec.section(), problems), dataDir(spec));
    if (!problems.isEmpty())
      throw new IllegalArgumentException("instrument '" + spec.name() + "': " + problems);
    return new Sila2Instrument(spec.name(), settings, bridges, protocol());
  }

  private SilaConnection.Protocol protocol() {
    SilaConnection.Protocol p = protocol;
    if (p == null) {
      p = SilaConnection.Protocol.load();
      protocol = p;
    }
    return p;
  }

  private static Path dataDir(InstrumentSpec spec) {
    return spec.dataDir() == null ? Path.of("labloop-data") : spec.dataDir();
  }
}
