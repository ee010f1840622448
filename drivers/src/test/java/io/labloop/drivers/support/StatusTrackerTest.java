package io.labloop.drivers.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.InstrumentStatus.ReasonKind;
import io.labloop.drivers.InstrumentStatus.State;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTrackerTest {

  @Test
  void offlineAndErrorSayWhatKindOfCauseAndOnlineClearsIt() {
    StatusTracker t = new StatusTracker();
    assertEquals(
        Optional.of(ReasonKind.COMMUNICATION), t.status().reasonKind(), "not connected yet");
    t.online();
    assertEquals(Optional.empty(), t.status().reasonKind());
    t.offline(ReasonKind.BRIDGE_DOWN, "lost connection to tcp://broker:1883");
    assertEquals(State.OFFLINE, t.status().state());
    assertEquals(Optional.of(ReasonKind.BRIDGE_DOWN), t.status().reasonKind());
    t.error(
        ReasonKind.UNTRUSTED_CERTIFICATE,
        "the broker presented a certificate LabLoop does not trust");
    assertEquals(State.ERROR, t.status().state());
    assertEquals(Optional.of(ReasonKind.UNTRUSTED_CERTIFICATE), t.status().reasonKind());
    t.offline(ReasonKind.GONE, "closed");
    assertEquals(Optional.of(ReasonKind.GONE), t.status().reasonKind());
  }

  @Test
  void aLostConnectionDuringACommandIsACommunicationProblem() {
    StatusTracker t = new StatusTracker();
    t.online();
    t.failed(new InstrumentError.Disconnected("spectrometer", "measure", "port closed", null));
    assertEquals(State.OFFLINE, t.status().state());
    assertEquals(Optional.of(ReasonKind.COMMUNICATION), t.status().reasonKind());
    assertEquals("spectrometer.measure: port closed", t.status().lastError());
  }

  @Test
  void onlineHasNoReasonKindAndTheOthersMustHaveOne() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new InstrumentStatus(
                State.ONLINE, Optional.of(ReasonKind.COMMUNICATION), "", Instant.EPOCH, ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new InstrumentStatus(State.ERROR, Optional.empty(), "x", Instant.EPOCH, ""));
  }
}
