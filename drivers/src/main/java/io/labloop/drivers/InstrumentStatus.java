package io.labloop.drivers;

import java.time.Instant;
import java.util.Optional;

/**
 * Connection status of one instrument, for health checks, the status page and the metrics.
 *
 * <p>The lifecycle, as every driver keeps it: an instrument starts OFFLINE ({@link
 * ReasonKind#COMMUNICATION}, "not connected yet"); a successful connect or command makes it ONLINE;
 * a lost connection takes it OFFLINE, and the driver reconnects by itself; a failure that
 * reconnecting cannot fix (a certificate to trust, a password, a security policy the server does
 * not offer) makes it ERROR until the engineer fixes the cause; closing it makes it OFFLINE for
 * good ({@link ReasonKind#GONE}). OFFLINE and ERROR always carry a reason kind and a text; ONLINE
 * carries neither.
 *
 * @param state ONLINE, OFFLINE or ERROR
 * @param reasonKind what kind of cause put it there; empty exactly when ONLINE
 * @param reason why it is in that state, for a person (empty when ONLINE)
 * @param since when it entered the state
 * @param lastError the last error seen, kept after recovery (empty if none)
 */
public record InstrumentStatus(
    State state, Optional<ReasonKind> reasonKind, String reason, Instant since, String lastError) {

  public enum State {
    ONLINE,
    OFFLINE,
    ERROR
  }

  /** What kind of cause made an instrument OFFLINE or ERROR; what to do next differs for each. */
  public enum ReasonKind {
    /**
     * The instrument does not answer, or its line failed: wait, or check the cable and the
     * instrument.
     */
    COMMUNICATION,
    /**
     * The lab file or the instrument's settings are wrong (a password, a security policy): fix
     * them.
     */
    CONFIGURATION,
    /** A certificate is not trusted, one side or the other: the engineer must trust it. */
    UNTRUSTED_CERTIFICATE,
    /**
     * The shared connection (the OPC UA server, the MQTT broker) is down; every instrument on it is
     * affected.
     */
    BRIDGE_DOWN,
    /** The instrument was closed or removed from the lab; it will not come back by itself. */
    GONE
  }

  public InstrumentStatus {
    if ((state == State.ONLINE) != reasonKind.isEmpty()) {
      throw new IllegalArgumentException(
          state + " must " + (state == State.ONLINE ? "not " : "") + "have a reason kind");
    }
  }

  public static InstrumentStatus online(Instant since, String lastError) {
    return new InstrumentStatus(State.ONLINE, Optional.empty(), "", since, lastError);
  }

  public static InstrumentStatus offline(ReasonKind kind, String reason) {
    return new InstrumentStatus(State.OFFLINE, Optional.of(kind), reason, Instant.now(), "");
  }
}
