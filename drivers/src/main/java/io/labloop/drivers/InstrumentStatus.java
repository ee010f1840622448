package io.labloop.drivers;

import java.time.Instant;

/**
 * Connection status of one instrument, for health checks and the status page.
 *
 * @param state ONLINE, OFFLINE or ERROR
 * @param reason why it is in that state (empty when ONLINE and healthy)
 * @param since when it entered the state
 * @param lastError the last error seen, kept after recovery (empty if none)
 */
public record InstrumentStatus(State state, String reason, Instant since, String lastError) {

  public enum State { ONLINE, OFFLINE, ERROR }

  public static InstrumentStatus offline(String reason) {
    return new InstrumentStatus(State.OFFLINE, reason, Instant.now(), "");
  }
}
