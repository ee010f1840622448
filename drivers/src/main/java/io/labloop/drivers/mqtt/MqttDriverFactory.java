package io.labloop.drivers.mqtt;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.DriverFactory;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.util.ArrayList;
import java.util.List;

/** {@code driver: mqtt}. Public only for {@link java.util.ServiceLoader}. */
public final class MqttDriverFactory implements DriverFactory {

  @Override
  public String type() {
    return "mqtt";
  }

  @Override
  public List<SettingsProblem> check(InstrumentSpec spec) {
    List<SettingsProblem> problems = new ArrayList<>();
    MqttSettings.read(Section.of(spec.section(), problems));
    return problems;
  }

  @Override
  public Instrument create(InstrumentSpec spec, Bridges bridges) {
    List<SettingsProblem> problems = new ArrayList<>();
    MqttSettings settings = MqttSettings.read(Section.of(spec.section(), problems));
    if (!problems.isEmpty())
      throw new IllegalArgumentException("instrument '" + spec.name() + "': " + problems);
    return new MqttInstrument(spec.name(), settings, bridges, spec.dataDir());
  }
}
