package io.labloop.drivers.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.settings.Section;
import io.labloop.settings.SettingsProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serial driver's reply handling and recovery, over a mocked line (the IT uses a real pty). */
class SerialInstrumentTest {

  private final SerialLine line = mock(SerialLine.class);
  private final Bridges bridges = new Bridges();
  private SerialInstrument uvvis;

  private static Map<String, Object> section() {
    Map<String, Object> commands = new LinkedHashMap<>();
    commands.put(
        "measure",
        Map.of(
            "send",
            "MEAS {sampleId}",
            "expect",
            "^OK peak=(?<peak>[0-9.]+) fwhm=(?<fwhm>[0-9.]+)$",
            "error",
            "^ERR (?<message>.*)$",
            "outputs",
            List.of("peak", "fwhm"),
            "timeout",
            "2s"));
    commands.put(
        "spectrum",
        Map.of(
            "send", "SPEC", "end", "END", "expect", "^(?<first>[0-9.]+)\\n.*$", "timeout", "2s"));
    commands.put(
        "move", Map.of("send", "MOVE {slot}", "expect", "^OK$", "delay", "300ms", "timeout", "2s"));
    commands.put(
        "status",
        Map.of(
            "send",
            "STAT?",
            "lines",
            2,
            "expect",
            "^T=(?<t>[0-9.]+)\\nLAMP=(?<lamp>\\w+)$",
            "timeout",
            "2s"));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("driver", "serial");
    s.put("port", "/dev/ttyUSB0");
    s.put("baud", 115200);
    s.put("commands", commands);
    return s;
  }

  @BeforeEach
  void build() throws IOException {
    List<SettingsProblem> problems = new ArrayList<>();
    SerialSettings settings = SerialSettings.read(Section.of(section(), problems));
    assertEquals(List.of(), problems);
    when(line.drain()).thenReturn("");
    uvvis = new SerialInstrument("uvvis", settings, () -> line, bridges);
  }

  @AfterEach
  void close() {
    uvvis.close();
    bridges.close();
  }

  private static InstrumentError failure(CompletableFuture<Reply> reply) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
    return assertInstanceOf(InstrumentError.class, e.getCause());
  }

  private Command measure() {
    return new Command("measure", Map.of("sampleId", "S-7"));
  }

  @Test
  void sendsTheFilledTemplateAndReturnsTheNamedGroups() throws Exception {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.of("OK peak=521.5 fwhm=38.2"));
    Reply reply = uvvis.execute(measure()).get(5, TimeUnit.SECONDS);
    verify(line).writeLine("MEAS S-7");
    assertEquals(Map.of("peak", 521.5, "fwhm", 38.2), reply.outputs());
    assertArrayEquals(
        "OK peak=521.5 fwhm=38.2".getBytes(StandardCharsets.UTF_8),
        reply.attachments().get(0).data());
  }

  @Test
  void anErrorLineIsARefusalWithTheInstrumentsMessage() throws IOException {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.of("ERR lamp cold"));
    InstrumentError e = failure(uvvis.execute(measure()));
    assertInstanceOf(InstrumentError.Refused.class, e);
    assertTrue(e.getMessage().startsWith("uvvis.measure: "), e.getMessage());
    assertTrue(e.getMessage().contains("lamp cold"), e.getMessage());
  }

  @Test
  void garbageIsABadReplyThatQuotesWhatCame() throws IOException {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.of("#\u00b0@@ peak"));
    InstrumentError e = failure(uvvis.execute(measure()));
    assertInstanceOf(InstrumentError.BadReply.class, e);
    assertTrue(e.getMessage().contains("'#\u00b0@@ peak' does not match expect"), e.getMessage());
  }

  @Test
  void silenceIsATimeout() throws IOException {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.empty());
    assertInstanceOf(InstrumentError.Timeout.class, failure(uvvis.execute(measure())));
  }

  @Test
  void aVanishedDeviceIsADisconnectAndTheNextCommandReopensThePort() throws Exception {
    when(line.isOpen()).thenReturn(true, false);
    when(line.readLine(anyLong()))
        .thenThrow(new IOException("read from '/dev/ttyUSB0' failed: the device went away"))
        .thenReturn(Optional.of("OK peak=520 fwhm=40"));
    InstrumentError e = failure(uvvis.execute(measure()));
    assertInstanceOf(InstrumentError.Disconnected.class, e);
    assertEquals(InstrumentStatus.State.OFFLINE, uvvis.status().state());
    verify(line).close();

    Reply reply = uvvis.execute(measure()).get(5, TimeUnit.SECONDS);
    verify(line).open();
    assertEquals(520.0, reply.outputs().get("peak"));
    assertEquals(InstrumentStatus.State.ONLINE, uvvis.status().state());
  }

  @Test
  void aPortThatCannotBeOpenedIsADisconnectAndNothingIsSent() throws Exception {
    when(line.isOpen()).thenReturn(false);
    doThrow(
            new IOException(
                "cannot open serial port '/dev/ttyUSB0' (missing, in use by another program, or no permission)"))
        .when(line)
        .open();
    InstrumentError e = failure(uvvis.execute(measure()));
    assertInstanceOf(InstrumentError.Disconnected.class, e);
    assertTrue(e.getMessage().contains("in use by another program"), e.getMessage());
    verify(line, never()).writeLine("MEAS S-7");
  }

  @Test
  void aLateReplyWaitingOnTheLineIsDroppedBeforeTheNextCommand() throws Exception {
    when(line.isOpen()).thenReturn(true);
    when(line.drain()).thenReturn("OK peak=1 fwhm=1\n");
    when(line.readLine(anyLong())).thenReturn(Optional.of("OK peak=530 fwhm=35"));
    Reply reply = uvvis.execute(measure()).get(5, TimeUnit.SECONDS);
    assertEquals(530.0, reply.outputs().get("peak"));
    var order = inOrder(line);
    order.verify(line).drain();
    order.verify(line).writeLine("MEAS S-7");
  }

  @Test
  void afterATimeoutTheNextCommandFirstListensForTheLateReplyAndDropsIt() throws Exception {
    when(line.isOpen()).thenReturn(true);
    // Nothing in time for the first command; then its late reply (two lines) arrives while the
    // driver listens before the second; then silence; then the second command's own reply.
    when(line.readLine(anyLong()))
        .thenReturn(
            Optional.empty(),
            Optional.of("OK peak=411 fwhm=20"),
            Optional.of("(late)"),
            Optional.empty(),
            Optional.of("OK peak=530 fwhm=35"));
    assertInstanceOf(InstrumentError.Timeout.class, failure(uvvis.execute(measure())));
    Reply reply =
        uvvis.execute(new Command("measure", Map.of("sampleId", "S-8"))).get(5, TimeUnit.SECONDS);
    assertEquals(
        530.0,
        reply.outputs().get("peak"),
        "the second command's reply, not the first one's late reply");
    var order = inOrder(line);
    order.verify(line).writeLine("MEAS S-7");
    order
        .verify(line, org.mockito.Mockito.calls(4))
        .readLine(anyLong()); // timeout, two late lines, silence
    order.verify(line).writeLine("MEAS S-8");
  }

  @Test
  void readsAMultiLineReplyUpToItsEndMarker() throws Exception {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong()))
        .thenReturn(Optional.of("0.125"), Optional.of("0.25"), Optional.of("END"));
    Reply reply = uvvis.execute(Command.of("spectrum")).get(5, TimeUnit.SECONDS);
    assertEquals(0.125, reply.outputs().get("first"));
    assertEquals(
        "0.125\n0.25", new String(reply.attachments().get(0).data(), StandardCharsets.UTF_8));
  }

  @Test
  void readsAFixedNumberOfLines() throws Exception {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.of("T=24.5"), Optional.of("LAMP=on"));
    Reply reply = uvvis.execute(Command.of("status")).get(5, TimeUnit.SECONDS);
    assertEquals(Map.of("t", 24.5, "lamp", "on"), reply.outputs());
  }

  @Test
  void theNextCommandWaitsForTheDelayTheInstrumentNeeds() throws Exception {
    when(line.isOpen()).thenReturn(true);
    when(line.readLine(anyLong())).thenReturn(Optional.of("OK"));
    List<Long> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    org.mockito.Mockito.doAnswer(i -> sent.add(System.nanoTime()))
        .when(line)
        .writeLine(org.mockito.ArgumentMatchers.anyString());
    uvvis.execute(new Command("move", Map.of("slot", 1L))).get(5, TimeUnit.SECONDS);
    uvvis.execute(new Command("move", Map.of("slot", 2L))).get(5, TimeUnit.SECONDS);
    verify(line).writeLine("MOVE 1");
    verify(line).writeLine("MOVE 2");
    assertTrue(
        sent.get(1) - sent.get(0) >= 300_000_000L,
        "second command sent after " + (sent.get(1) - sent.get(0)) / 1e6 + " ms");
  }

  @Test
  void anUnknownCommandIsRefusedNamingTheKnownOnes() {
    InstrumentError e = failure(uvvis.execute(Command.of("calibrate")));
    assertInstanceOf(InstrumentError.Refused.class, e);
    assertTrue(e.getMessage().contains("[measure, spectrum, move, status]"), e.getMessage());
  }

  @Test
  void aMissingArgumentIsRefusedWithoutTouchingThePort() throws Exception {
    InstrumentError e = failure(uvvis.execute(new Command("measure", Map.of())));
    assertInstanceOf(InstrumentError.Refused.class, e);
    verify(line, never()).writeLine(org.mockito.ArgumentMatchers.anyString());
  }
}
