package io.labloop.simulators.instrument;

import io.labloop.simulators.Endpoint;
import java.util.List;

/**
 * A running protocol front of one or more simulated instruments (a server, a pty, an MQTT client).
 */
public interface ProtocolDevice extends AutoCloseable {

  /** How a client reaches each instrument this device plays. */
  List<Endpoint> endpoints();

  /** Stops serving; frees its port or path. */
  @Override
  void close();
}
