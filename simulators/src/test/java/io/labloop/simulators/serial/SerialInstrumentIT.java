package io.labloop.simulators.serial;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.junit.VirtualLabExtension;
import io.labloop.simulators.world.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulated UV-Vis spectrometer, driven through its pseudo-terminal with jSerialComm. */
class SerialInstrumentIT {

  @RegisterExtension
  static VirtualLabExtension sim = VirtualLabExtension.fromResource("labs/test-lab.yaml");

  private static final Pattern OK = Pattern.compile("^OK peak=([0-9.]+) fwhm=([0-9.]+)$");

  private SerialPort port;

  @BeforeEach
  void open() {
    sim.lab().faults("spectrometer").clear();
    port = openPort(sim.lab());
  }

  @AfterEach
  void close() {
    port.closePort();
  }

  private static SerialPort openPort(VirtualLab lab) {
    SerialPort p = SerialPort.getCommPort(lab.endpoint("spectrometer").address());
    p.setBaudRate(115200);
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 300, 0);
    assertTrue(p.openPort(), "the pty link opens as a serial port");
    return p;
  }

  private void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    assertEquals(bytes.length, port.writeBytes(bytes, bytes.length));
  }

  /** Reads one reply line (without its terminator), or null when none comes within {@code wait}. */
  private String readLine(Duration wait) {
    StringBuilder line = new StringBuilder();
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] one = new byte[1];
    while (System.nanoTime() < deadline) {
      int n = port.readBytes(one, 1);
      if (n < 0) {
        return null;
      }
      if (n == 1) {
        if (one[0] == '\n') {
          return line.toString();
        }
        line.append((char) (one[0] & 0xff));
      }
    }
    return null;
  }

  private String ask(String command) {
    write(command + "\n");
    return readLine(Duration.ofSeconds(5));
  }

  private Sample sample() {
    return sim.lab()
        .world()
        .synthesize(
            Map.of("temperature", 130.0, "time", 25.0, "concentration", 0.7, "solvent", "ethanol"));
  }

  @Test
  void identifiesItself() {
    assertTrue(ask("*IDN?").startsWith("LabLoop,Virtual spectrometer,"));
  }

  @Test
  void measuresTheSampleWithinNoise() {
    Sample s = sample();
    Matcher m = OK.matcher(ask("MEAS " + s.id()));
    assertTrue(m.matches(), "reply in the documented format");
    assertEquals(s.truth().get("peak"), Double.parseDouble(m.group(1)), 5 * 0.5 + 0.1);
    assertEquals(s.truth().get("fwhm"), Double.parseDouble(m.group(2)), 5 * 1.0 + 0.1);
  }

  @Test
  void unknownSampleAndUnknownCommandAreErrors() {
    assertEquals("ERR unknown sample S-99999", ask("MEAS S-99999"));
    assertEquals("ERR unknown command 'FROB'", ask("FROB 12"));
  }

  @Test
  void anyLineEndingAndSplitWritesWork() {
    String id = sample().id();
    write("MEAS " + id + "\r");
    assertTrue(OK.matcher(readLine(Duration.ofSeconds(5))).matches());
    write("MEAS " + id + "\r\n");
    assertTrue(OK.matcher(readLine(Duration.ofSeconds(5))).matches());
    write("ME");
    write("AS " + id.substring(0, 3));
    write(id.substring(3) + "\r");
    write("\n");
    assertTrue(OK.matcher(readLine(Duration.ofSeconds(5))).matches());
    assertEquals(
        null,
        readLine(Duration.ofMillis(300)),
        "CRLF split over two writes is one line end, one reply");
  }

  @Test
  void everyFaultKindShowsOnTheWire() {
    VirtualLab lab = sim.lab();
    String id = sample().id();
    long before = lab.received("spectrometer", "measure");

    lab.faults("spectrometer").next(Fault.REFUSE);
    assertTrue(ask("MEAS " + id).startsWith("ERR refused"));

    lab.faults("spectrometer").next(Fault.GARBAGE);
    String garbage = ask("MEAS " + id);
    assertFalse(
        garbage.startsWith("OK") || garbage.startsWith("ERR"),
        "garbage follows no rule: " + garbage);

    lab.faults("spectrometer").next(Fault.TIMEOUT);
    write("MEAS " + id + "\n");
    assertEquals(null, readLine(Duration.ofMillis(800)), "no answer");

    for (Fault drop : new Fault[] {Fault.DISCONNECT, Fault.RESTART}) {
      lab.faults("spectrometer").next(drop);
      write("MEAS " + id + "\n");
      assertEquals(null, readLine(Duration.ofSeconds(2)), "the line hangs up instead of answering");
      port.closePort();
      // The adapter comes back behind the same link, as a USB adapter plugged in again.
      await()
          .atMost(Duration.ofSeconds(5))
          .ignoreExceptions()
          .until(
              () -> {
                SerialPort p = SerialPort.getCommPort(lab.endpoint("spectrometer").address());
                p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 300, 0);
                if (!p.openPort()) {
                  return false;
                }
                port = p;
                return true;
              });
    }
    String again = ask("MEAS " + id);
    assertTrue(
        again != null && OK.matcher(again).matches(), "works again after the faults: " + again);
    assertEquals(before + 6, lab.received("spectrometer", "measure"));
  }
}
