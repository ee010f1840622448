package io.labloop.simulators;

import java.util.Map;
import java.util.TreeMap;

/**
 * How a client reaches one simulated instrument once the lab runs.
 *
 * @param instrument the instrument's name in the lab file
 * @param protocol {@code opcua}, {@code serial} or {@code mqtt}
 * @param address the OPC UA endpoint URL ({@code opc.tcp://127.0.0.1:4840/labloop}), the serial
 *     port path (the link to the pseudo-terminal) or the MQTT broker URL ({@code
 *     tcp://127.0.0.1:1883})
 * @param port the TCP port for OPC UA and MQTT, -1 for serial
 * @param details protocol details: {@code security} (OPC UA), {@code device} (the pty behind a
 *     serial link), {@code topics} (MQTT request topics, comma-separated)
 */
public record Endpoint(
    String instrument, String protocol, String address, int port, Map<String, String> details) {
  public Endpoint {
    details = Map.copyOf(details);
  }

  /**
   * One line for the console: {@code robot opcua opc.tcp://127.0.0.1:4840/labloop (security=None)}.
   */
  public String describe() {
    StringBuilder line =
        new StringBuilder(String.format("%-14s %-7s %s", instrument, protocol, address));
    if (!details.isEmpty()) {
      line.append("  (");
      boolean first = true;
      for (Map.Entry<String, String> e : new TreeMap<>(details).entrySet()) {
        line.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
        first = false;
      }
      line.append(')');
    }
    return line.toString();
  }
}
