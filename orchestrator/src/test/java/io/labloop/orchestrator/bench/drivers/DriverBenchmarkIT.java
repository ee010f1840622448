package io.labloop.orchestrator.bench.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.bench.BenchSample;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labloop bench drivers} against the virtual lab with few calls: every protocol gets its
 * row, and the bare LADS client does the driver's job (the same peak for the same sample), so that
 * its row compares like with like.
 */
class DriverBenchmarkIT {

  @Test
  void everyProtocolHasARowOfTimedCalls(@TempDir Path dir) throws Exception {
    List<DriverBenchmark.Row> rows = new DriverBenchmark(10, 10).run(dir);

    assertEquals(
        List.of("OPC UA", "serial", "MQTT 5", "SiLA 2", "LADS"),
        rows.stream().map(DriverBenchmark.Row::protocol).toList());
    for (DriverBenchmark.Row r : rows) {
      assertEquals(10, r.driver().samples(), r.protocol());
      assertEquals(10, r.bare().samples(), r.protocol());
      assertTrue(r.driver().medianMicros() > 0 && r.bare().medianMicros() > 0, r.protocol());
      assertTrue(r.driver().p99Micros() >= r.driver().medianMicros(), r.protocol());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theBareLadsClientReadsThePeakTheDriverReads(@TempDir Path dir) throws Exception {
    try (VirtualLab lab = VirtualLab.start(DriverBenchmarkLab.tree(dir), dir, dir.resolve("work"));
        Drivers drivers = Drivers.standard()) {
      Map<String, Object> instruments = (Map<String, Object>) lab.labTree().get("instruments");
      String sampleId;
      try (Instrument robot = instrument(drivers, instruments, DriverBenchmarkLab.ROBOT, dir)) {
        robot.connect().get(30, TimeUnit.SECONDS);
        sampleId = BenchSample.synthesize(robot);
      }
      Object viaDriver;
      try (Instrument lads = instrument(drivers, instruments, DriverBenchmarkLab.LADS, dir)) {
        lads.connect().get(30, TimeUnit.SECONDS);
        viaDriver =
            lads.execute(new Command("measure", Map.of("sampleId", sampleId)))
                .get(30, TimeUnit.SECONDS)
                .outputs()
                .get("peak");
      }
      Object bare;
      try (DriverBenchmarkBare.Lads client =
          new DriverBenchmarkBare.Lads(lab.endpoint(DriverBenchmarkLab.LADS).address())) {
        bare = client.measure(sampleId);
      }

      assertInstanceOf(Double.class, bare);
      assertEquals(((Number) viaDriver).doubleValue(), (Double) bare, 1e-9);
    }
  }

  @SuppressWarnings("unchecked")
  private static Instrument instrument(
      Drivers drivers, Map<String, Object> instruments, String name, Path dir) {
    Map<String, Object> section = (Map<String, Object>) instruments.get(name);
    return drivers.create(
        new InstrumentSpec(
            name, String.valueOf(section.get("driver")), section, dir.resolve("data")));
  }
}
