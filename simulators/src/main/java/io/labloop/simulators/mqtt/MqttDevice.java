package io.labloop.simulators.mqtt;

import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** An MQTT 5 instrument. */
public final class MqttDevice implements ProtocolDevice {
  public static MqttDevice start(SimulatedInstrument instrument, Map<String, Object> section, URI broker) {
    throw new UnsupportedOperationException("MQTT simulation lands next");
  }

  @Override
  public List<Endpoint> endpoints() {
    return List.of();
  }

  @Override
  public void close() {}
}
