package io.labloop.drivers.support;

import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.InstrumentStatus.State;
import java.time.Instant;

/**
 * The status of one instrument: its connection state with the reason, and the last error seen
 * (kept after recovery, for the status page). Instruments sharing a connection each have one,
 * so a refusal by one instrument does not mark its neighbour on the same server.
 */
public final class StatusTracker {

  private InstrumentStatus status = InstrumentStatus.offline("not connected yet");

  public synchronized InstrumentStatus status() {
    return status;
  }

  public synchronized void online() {
    if (status.state() != State.ONLINE) {
      status = new InstrumentStatus(State.ONLINE, "", Instant.now(), status.lastError());
    }
  }

  public synchronized void offline(String reason) {
    if (status.state() != State.OFFLINE || !status.reason().equals(reason)) {
      status = new InstrumentStatus(State.OFFLINE, reason, Instant.now(), status.lastError());
    }
  }

  /** A state that reconnecting will not fix (an untrusted certificate, a wrong password). */
  public synchronized void error(String reason) {
    status = new InstrumentStatus(State.ERROR, reason, Instant.now(), reason);
  }

  /** Records a failed command; a lost connection also takes the instrument offline. */
  public synchronized void failed(InstrumentError e) {
    State state = e instanceof InstrumentError.Disconnected && status.state() == State.ONLINE ? State.OFFLINE : status.state();
    String reason = state == status.state() ? status.reason() : e.getMessage();
    Instant since = state == status.state() ? status.since() : Instant.now();
    status = new InstrumentStatus(state, reason, since, e.getMessage());
  }
}
