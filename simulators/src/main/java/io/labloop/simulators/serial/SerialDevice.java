package io.labloop.simulators.serial;

import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A serial instrument on a pseudo-terminal. */
public final class SerialDevice implements ProtocolDevice {
  public static SerialDevice start(SimulatedInstrument instrument, Map<String, Object> section, Path link) {
    throw new UnsupportedOperationException("serial simulation lands next");
  }

  @Override
  public List<Endpoint> endpoints() {
    return List.of();
  }

  @Override
  public void close() {}
}
