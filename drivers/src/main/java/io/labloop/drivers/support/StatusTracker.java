package io.labloop.drivers.support;

import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.InstrumentStatus.ReasonKind;
import io.labloop.drivers.InstrumentStatus.State;
import java.time.Instant;
import java.util.Optional;

/**
 * The status of one instrument: its connection state with the reason, and the last error seen (kept
 * after recovery, for the status page). Instruments sharing a connection each have one, so a
 * refusal by one instrument does not mark its neighbour on the same server.
 */
public final class StatusTracker {

  private InstrumentStatus status =
      InstrumentStatus.offline(ReasonKind.COMMUNICATION, "not connected yet");

  public synchronized InstrumentStatus status() {
    return status;
  }

  public synchronized void online() {
    if (status.state() != State.ONLINE) {
      status = InstrumentStatus.online(Instant.now(), status.lastError());
    }
  }

  public synchronized void offline(ReasonKind kind, String reason) {
    if (status.state() != State.OFFLINE
        || !status.reason().equals(reason)
        || !status.reasonKind().equals(Optional.of(kind))) {
      status =
          new InstrumentStatus(
              State.OFFLINE, Optional.of(kind), reason, Instant.now(), status.lastError());
    }
  }

  /** A state that reconnecting will not fix (an untrusted certificate, a wrong password). */
  public synchronized void error(ReasonKind kind, String reason) {
    status = new InstrumentStatus(State.ERROR, Optional.of(kind), reason, Instant.now(), reason);
  }

  /** Records a failed command; a lost connection also takes the instrument offline. */
  public synchronized void failed(InstrumentError e) {
    State state =
        e instanceof InstrumentError.Disconnected && status.state() == State.ONLINE
            ? State.OFFLINE
            : status.state();
    boolean same = state == status.state();
    status =
        new InstrumentStatus(
            state,
            same ? status.reasonKind() : Optional.of(ReasonKind.COMMUNICATION),
            same ? status.reason() : e.getMessage(),
            same ? status.since() : Instant.now(),
            e.getMessage());
  }
}
