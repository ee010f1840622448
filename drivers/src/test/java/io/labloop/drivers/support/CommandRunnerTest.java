package io.labloop.drivers.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.support.CommandRunner.Attempt;
import io.labloop.drivers.support.CommandRunner.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner = new CommandRunner("spectrometer", timer, status);
  private final Command measure = new Command("measure", Map.of("sampleId", "S1"));

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static CommandPolicy policy(boolean idempotent, List<String> outputs) {
    return new CommandPolicy(
        Duration.ofMillis(200), idempotent, outputs, idempotent ? 2 : 0, Duration.ofMillis(10));
  }

  private static InstrumentError failure(CompletableFuture<Reply> reply) throws Exception {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
    return assertInstanceOf(InstrumentError.class, e.getCause());
  }

  @Test
  void aReplyCarriesTheOutputsAndTakesTheInstrumentOnline() throws Exception {
    Reply reply =
        runner
            .run(
                measure,
                policy(false, List.of("peak")),
                (c, t) -> CompletableFuture.completedFuture(Outcome.of(Map.of("peak", 521.0))))
            .get(5, TimeUnit.SECONDS);
    assertEquals("measure", reply.command());
    assertEquals(Map.of("peak", 521.0), reply.outputs());
    assertEquals(InstrumentStatus.State.ONLINE, status.status().state());
  }

  @Test
  void noReplyWithinTheTimeoutIsATimeoutAndTheDriverIsToldToForgetTheRequest() throws Exception {
    CompletableFuture<Outcome> never = new CompletableFuture<>();
    InstrumentError e = failure(runner.run(measure, policy(false, List.of()), (c, t) -> never));
    assertInstanceOf(InstrumentError.Timeout.class, e);
    assertEquals("spectrometer.measure: no complete reply within 200ms", e.getMessage());
    // The driver's own future was completed too, so its clean-up (dropping the pending request)
    // ran.
    assertTrue(never.isCompletedExceptionally());
    assertEquals(e.getMessage(), status.status().lastError());
  }

  @Test
  void anIdempotentCommandIsResentAfterALostConnection() throws Exception {
    Attempt attempt = mock(Attempt.class);
    when(attempt.start(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new InstrumentError.Disconnected("spectrometer", "measure", "reset by peer", null)))
        .thenReturn(CompletableFuture.completedFuture(Outcome.of(Map.of("peak", 520.0))));
    Reply reply = runner.run(measure, policy(true, List.of()), attempt).get(5, TimeUnit.SECONDS);
    assertEquals(520.0, reply.outputs().get("peak"));
    verify(attempt, times(2)).start(any(), any());
  }

  @Test
  void aNonIdempotentCommandIsNeverResent() throws Exception {
    Attempt attempt = mock(Attempt.class);
    when(attempt.start(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new InstrumentError.Disconnected(
                    "spectrometer", "measure", "reset by peer", null)));
    assertInstanceOf(
        InstrumentError.Disconnected.class,
        failure(runner.run(measure, policy(false, List.of()), attempt)));
    verify(attempt, times(1)).start(any(), any());
  }

  @Test
  void aRefusalIsFinalEvenForAnIdempotentCommand() throws Exception {
    Attempt attempt = mock(Attempt.class);
    when(attempt.start(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new InstrumentError.Refused("spectrometer", "measure", "lamp cold")));
    assertInstanceOf(
        InstrumentError.Refused.class,
        failure(runner.run(measure, policy(true, List.of()), attempt)));
    verify(attempt, times(1)).start(any(), any());
  }

  @Test
  void retriesStopAfterTheLastAttempt() throws Exception {
    Attempt attempt = mock(Attempt.class);
    when(attempt.start(any(), any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new InstrumentError.Disconnected("spectrometer", "measure", "gone", null)));
    assertInstanceOf(
        InstrumentError.Disconnected.class,
        failure(runner.run(measure, policy(true, List.of()), attempt)));
    verify(attempt, times(3)).start(any(), any());
  }

  @Test
  void aReplyWithoutADeclaredOutputIsABadReply() throws Exception {
    InstrumentError e =
        failure(
            runner.run(
                measure,
                policy(false, List.of("peak", "fwhm")),
                (c, t) -> CompletableFuture.completedFuture(Outcome.of(Map.of("peak", 1.0)))));
    assertInstanceOf(InstrumentError.BadReply.class, e);
    assertTrue(e.getMessage().contains("no output 'fwhm'"), e.getMessage());
  }

  @Test
  void aMissingArgumentIsRefusedBeforeAnythingIsSent() throws Exception {
    InstrumentError e =
        failure(
            runner.run(
                measure,
                policy(false, List.of()),
                (c, t) -> {
                  throw new IllegalArgumentException("the template needs argument 'wavelength'");
                }));
    assertInstanceOf(InstrumentError.Refused.class, e);
    assertEquals(
        "spectrometer.measure: not sent: the template needs argument 'wavelength'", e.getMessage());
  }

  @Test
  void aLostConnectionTakesAnOnlineInstrumentOffline() throws Exception {
    status.online();
    failure(
        runner.run(
            measure,
            policy(false, List.of()),
            (c, t) ->
                CompletableFuture.failedFuture(
                    new InstrumentError.Disconnected("spectrometer", "measure", "gone", null))));
    assertEquals(InstrumentStatus.State.OFFLINE, status.status().state());
  }
}
