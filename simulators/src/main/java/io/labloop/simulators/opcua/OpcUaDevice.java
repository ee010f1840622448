package io.labloop.simulators.opcua;

import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An OPC UA server (Milo) playing one or more instruments. */
public final class OpcUaDevice implements ProtocolDevice {
  public static OpcUaDevice start(URI endpoint, List<SimulatedInstrument> instruments,
      Map<String, Map<String, Object>> sections, Path pkiDir) {
    throw new UnsupportedOperationException("OPC UA simulation lands next");
  }

  @Override
  public List<Endpoint> endpoints() {
    return List.of();
  }

  @Override
  public void close() {}
}
