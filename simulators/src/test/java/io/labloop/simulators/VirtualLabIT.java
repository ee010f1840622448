package io.labloop.simulators;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.labloop.simulators.journal.ReceivedCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual lab as a whole, through plain clients: a sample made over OPC UA is measured over
 * serial; the same seed gives the same measurements; durations scale; the journal and the samples
 * outlive the process that made them.
 */
class VirtualLabIT {

  private static final String[][] CONDITIONS = {
    {"110", "20", "0.9", "ethylene-glycol"},
    {"160", "8", "0.4", "water"},
    {"70", "45", "1.5", "ethanol"}
  };

  /**
   * A Milo client calling Synthesize, and a serial port asking MEAS, as two third-party programs
   * would.
   */
  private static final class Clients implements AutoCloseable {
    final OpcUaClient opcua;
    final SerialPort serial;

    Clients(VirtualLab lab) throws Exception {
      opcua = OpcUaClient.create(lab.endpoint("robot").address());
      opcua.connect();
      serial = SerialPort.getCommPort(lab.endpoint("spectrometer").address());
      serial.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
      assertTrue(serial.openPort());
    }

    CallMethodResult synthesize(String... c) throws Exception {
      Variant[] args = {
        new Variant(Double.parseDouble(c[0])),
        new Variant(Double.parseDouble(c[1])),
        new Variant(Double.parseDouble(c[2])),
        new Variant(c[3])
      };
      return opcua.call(
              List.of(
                  new CallMethodRequest(
                      NodeId.parse("ns=2;s=Robot"), NodeId.parse("ns=2;s=Robot.Synthesize"), args)))
          .getResults()[0];
    }

    String sampleOf(String... c) throws Exception {
      CallMethodResult r = synthesize(c);
      assertTrue(r.getStatusCode().isGood(), r.getStatusCode().toString());
      return (String) r.getOutputArguments()[0].getValue();
    }

    String ask(String line) {
      byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
      serial.writeBytes(bytes, bytes.length);
      return readLine();
    }

    String readLine() {
      StringBuilder reply = new StringBuilder();
      byte[] one = new byte[1];
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        if (serial.readBytes(one, 1) == 1) {
          if (one[0] == '\n') {
            return reply.toString();
          }
          reply.append((char) one[0]);
        }
      }
      return null;
    }

    @Override
    public void close() throws UaException {
      serial.closePort();
      opcua.disconnect();
    }
  }

  private static List<String> campaign(Path dir, long seed) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    TestLabs.section(tree, "simulation").put("seed", seed);
    List<String> readings = new ArrayList<>();
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      for (String[] conditions : CONDITIONS) {
        String id = c.sampleOf(conditions);
        readings.add(c.ask("MEAS " + id));
        readings.add(c.ask("MEAS " + id));
      }
    }
    return readings;
  }

  @Test
  void sameSeedGivesTheSameMeasurements(@TempDir Path dir) throws Exception {
    List<String> first = campaign(Files.createDirectory(dir.resolve("a")), 7);
    List<String> again = campaign(Files.createDirectory(dir.resolve("b")), 7);
    List<String> otherSeed = campaign(Files.createDirectory(dir.resolve("c")), 8);

    assertEquals(first, again);
    assertNotEquals(first, otherSeed);
    assertNotEquals(first.get(0), first.get(1), "two readings of one sample differ by noise");
    for (String reading : first) {
      assertTrue(reading.matches("OK peak=[0-9.]+ fwhm=[0-9.]+"), reading);
    }
  }

  @Test
  void measurementsFollowTheWorldModelWithinNoiseAndAchievedConditions(@TempDir Path dir)
      throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      for (String[] conditions : CONDITIONS) {
        CallMethodResult made = c.synthesize(conditions);
        String id = (String) made.getOutputArguments()[0].getValue();
        double achieved = (Double) made.getOutputArguments()[1].getValue();
        var sample = lab.world().sample(id).orElseThrow();
        assertEquals(
            achieved,
            ((Number) sample.conditions().get("temperature")).doubleValue(),
            1e-9,
            "the world made the sample at the achieved temperature, which the robot reports");
        String[] reply = c.ask("MEAS " + id).split("[ =]");
        assertEquals(sample.truth().get("peak"), Double.parseDouble(reply[2]), 5 * 0.5);
        assertEquals(sample.truth().get("fwhm"), Double.parseDouble(reply[4]), 5 * 1.0);
      }
    }
  }

  @Test
  void durationsScaleAndAbortEndsAnOperation(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    TestLabs.section(tree, "simulation").put("time-scale", 0.001); // robot 30m -> 1.8 s
    TestLabs.section(tree, "simulation", "instruments", "spectrometer")
        .put("duration", "10m"); // -> 0.6 s
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      long start = System.nanoTime();
      String id = c.sampleOf(CONDITIONS[0]);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds >= 1.8 && seconds < 6, "30 min x 0.001 = 1.8 s, took " + seconds);

      start = System.nanoTime();
      assertTrue(c.ask("MEAS " + id).startsWith("OK"));
      seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds >= 0.6 && seconds < 4, "10 min x 0.001 = 0.6 s, took " + seconds);

      // Abort ends a running measurement early; the instrument says so and is idle again.
      byte[] meas = ("MEAS " + id + "\n").getBytes(StandardCharsets.US_ASCII);
      c.serial.writeBytes(meas, meas.length);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> "Busy".equals(lab.variable("spectrometer", "State")));
      // Two replies, in either order: the abort's own OK and the measurement's error.
      String first = c.ask("ABORT");
      String second = c.readLine();
      assertEquals(
          java.util.Set.of("OK", "ERR aborted before it finished"),
          java.util.Set.of(first, second));
      assertEquals("OK state=Idle", c.ask("STAT?"));
    }
  }

  @Test
  void theCommandTheLabFileNamesAsItsAbortIsTheRobotsAbort(@TempDir Path dir) throws Exception {
    // a lab that calls its abort command "stop" (abort: stop), on a method not called ...Abort:
    // the virtual robot must take it as its abort, which has no arguments, not as an operation
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    Map<String, Object> robot = TestLabs.section(tree, "instruments", "robot");
    TestLabs.section(tree, "instruments", "robot", "commands")
        .put(
            "stop",
            Map.of(
                "method",
                Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Stop"),
                "timeout",
                "30s",
                "idempotent",
                true));
    robot.put("abort", "stop");
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      CallMethodResult stopped =
          c.opcua.call(
                  List.of(
                      new CallMethodRequest(
                          NodeId.parse("ns=2;s=Robot"),
                          NodeId.parse("ns=2;s=Robot.Stop"),
                          new Variant[0])))
              .getResults()[0];
      assertTrue(stopped.getStatusCode().isGood(), stopped.getStatusCode().toString());
    }
  }

  @Test
  void faultRatesFromTheLabFileApply(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    TestLabs.section(tree, "simulation")
        .put("faults", Map.of("spectrometer", Map.of("refuse-rate", 0.5)));
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      String id = c.sampleOf(CONDITIONS[0]);
      int refused = 0;
      for (int i = 0; i < 40; i++) {
        String reply = c.ask("MEAS " + id);
        if (reply.startsWith("ERR refused")) {
          refused++;
        } else {
          assertTrue(reply.startsWith("OK peak="), reply);
        }
      }
      assertTrue(refused >= 8 && refused <= 32, "about half of 40 refused, got " + refused);
      assertEquals(40, lab.received("spectrometer", "measure"));
    }
  }

  @Test
  void theJournalAndTheSamplesOutliveTheProcess(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot", "spectrometer");
    String id;
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      id = c.sampleOf(CONDITIONS[1]);
      assertEquals(1, lab.received("robot", "synthesize"));
    }
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"));
        Clients c = new Clients(lab)) {
      assertEquals(1, lab.received("robot", "synthesize"), "counted from the journal file");
      assertTrue(
          c.ask("MEAS " + id).startsWith("OK peak="),
          "the sample made before the restart is still there");
      String next = c.sampleOf(CONDITIONS[2]);
      assertNotEquals(id, next, "sample ids are never reused");
      List<ReceivedCommand> measured = lab.journal("spectrometer");
      assertEquals(id, measured.get(0).arguments().get("sampleId"));
      assertFalse(
          Files.exists(dir.resolve("uvvis")) && !Files.isSymbolicLink(dir.resolve("uvvis")));
    }
    assertFalse(
        Files.exists(dir.resolve("uvvis"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
        "the pty link is removed");
  }
}
