package io.labloop.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@link SerialLine} over jSerialComm, which locks the port for exclusive use while it is open. */
final class JSerialCommLine implements SerialLine {

  // Short read slices so a deadline is honoured within ~50 ms without busy waiting.
  private static final int SLICE_MS = 50;

  private final SerialSettings settings;
  private final byte[] terminator;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private SerialPort port;

  JSerialCommLine(SerialSettings settings) {
    this.settings = settings;
    this.terminator = settings.terminator().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void open() throws IOException {
    close();
    SerialPort p;
    try {
      p = SerialPort.getCommPort(settings.port());
    } catch (RuntimeException e) {
      throw new IOException("no serial port '" + settings.port() + "'", e);
    }
    p.setComPortParameters(
        settings.baud(),
        settings.dataBits(),
        stopBits(settings.stopBits()),
        parity(settings.parity()));
    p.setFlowControl(flowControl(settings.flowControl()));
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, SLICE_MS, 0);
    if (!p.openPort()) {
      throw new IOException(
          "cannot open serial port '"
              + settings.port()
              + "' (missing, in use by another program, "
              + "or no permission; error code "
              + p.getLastErrorCode()
              + ")");
    }
    pending.reset();
    port = p;
  }

  @Override
  public boolean isOpen() {
    return port != null && port.isOpen();
  }

  @Override
  public void writeLine(String line) throws IOException {
    requireOpen();
    byte[] body = line.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[body.length + terminator.length];
    System.arraycopy(body, 0, all, 0, body.length);
    System.arraycopy(terminator, 0, all, body.length, terminator.length);
    int n = port.writeBytes(all, all.length);
    if (n != all.length)
      throw new IOException(
          "write to '" + settings.port() + "' failed (" + n + " of " + all.length + " bytes)");
  }

  @Override
  public Optional<String> readLine(long deadlineNanos) throws IOException {
    requireOpen();
    byte[] chunk = new byte[256];
    while (true) {
      Optional<String> line = takeLine();
      if (line.isPresent()) return line;
      if (System.nanoTime() >= deadlineNanos) return Optional.empty();
      int n = port.readBytes(chunk, chunk.length);
      if (n < 0)
        throw new IOException("read from '" + settings.port() + "' failed: the device went away");
      pending.write(chunk, 0, n);
    }
  }

  @Override
  public String drain() throws IOException {
    requireOpen();
    byte[] chunk = new byte[256];
    while (port.bytesAvailable() > 0) {
      int n = port.readBytes(chunk, chunk.length);
      if (n < 0)
        throw new IOException("read from '" + settings.port() + "' failed: the device went away");
      if (n == 0) break;
      pending.write(chunk, 0, n);
    }
    if (port.bytesAvailable() < 0)
      throw new IOException("serial port '" + settings.port() + "' went away");
    String stale = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    return stale;
  }

  private Optional<String> takeLine() {
    byte[] buf = pending.toByteArray();
    outer:
    for (int i = 0; i + terminator.length <= buf.length; i++) {
      for (int j = 0; j < terminator.length; j++) {
        if (buf[i + j] != terminator[j]) continue outer;
      }
      String line = new String(buf, 0, i, StandardCharsets.UTF_8);
      pending.reset();
      pending.write(buf, i + terminator.length, buf.length - i - terminator.length);
      // A device that ends lines with CR LF while the lab file says "\n": drop the CR.
      return Optional.of(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    return Optional.empty();
  }

  private void requireOpen() throws IOException {
    if (!isOpen()) throw new IOException("serial port '" + settings.port() + "' is not open");
  }

  @Override
  public void close() {
    if (port != null) {
      port.closePort();
      port = null;
    }
  }

  private static int parity(String p) {
    return switch (p) {
      case "even" -> SerialPort.EVEN_PARITY;
      case "odd" -> SerialPort.ODD_PARITY;
      case "mark" -> SerialPort.MARK_PARITY;
      case "space" -> SerialPort.SPACE_PARITY;
      default -> SerialPort.NO_PARITY;
    };
  }

  private static int stopBits(String s) {
    return switch (s) {
      case "1.5" -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
      case "2" -> SerialPort.TWO_STOP_BITS;
      default -> SerialPort.ONE_STOP_BIT;
    };
  }

  private static int flowControl(String f) {
    return switch (f) {
      case "rts-cts" -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
      case "xon-xoff" ->
          SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
      default -> SerialPort.FLOW_CONTROL_DISABLED;
    };
  }
}
