package io.labloop.simulators.mqtt;

import java.net.URI;
import java.nio.file.Path;

/** HiveMQ CE embedded. */
public final class EmbeddedBroker implements AutoCloseable {
  public static EmbeddedBroker start(URI address, Path workDir) {
    throw new UnsupportedOperationException("MQTT simulation lands next");
  }

  public URI uri() {
    return null;
  }

  @Override
  public void close() {}
}
