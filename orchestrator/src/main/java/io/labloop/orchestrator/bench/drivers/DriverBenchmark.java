package io.labloop.orchestrator.bench.drivers;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.bench.BenchSample;
import io.labloop.orchestrator.bench.drivers.DriverBenchmarkBare.RoundTrip;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a driver adds to one command's round trip. For each protocol, against the virtual
 * lab with operations that take no time: {@code iterations} timed calls through the LabLoop driver
 * ({@code execute(measure).get()}) and as many with the bare library ({@link DriverBenchmarkBare}),
 * in ten alternating rounds, each round after untimed warm-up calls. One call at a time, never two
 * at once, so that the two do not measure each other. The ratio driver/bare is the driver's
 * overhead.
 */
public final class DriverBenchmark {

  /** Median and 99th percentile of one round trip, in microseconds. */
  public record Stats(int samples, double medianMicros, double p99Micros) {}

  /** One protocol: the driver beside the bare library. */
  public record Row(String protocol, String library, Stats driver, Stats bare) {
    public double medianRatio() {
      return driver.medianMicros() / bare.medianMicros();
    }

    public double p99Ratio() {
      return driver.p99Micros() / bare.p99Micros();
    }
  }

  private final int warmup;
  private final int iterations;

  public DriverBenchmark(int warmup, int iterations) {
    this.warmup = warmup;
    this.iterations = iterations;
  }

  /** Starts the virtual lab in {@code workDir}, runs every protocol, stops the lab. */
  public List<Row> run(Path workDir) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (VirtualLab lab =
            VirtualLab.start(DriverBenchmarkLab.tree(workDir), workDir, workDir.resolve("work"));
        Drivers drivers = Drivers.standard()) {
      Map<String, Object> tree = lab.labTree();
      String sampleId;
      try (Instrument robot = instrument(drivers, tree, DriverBenchmarkLab.ROBOT, workDir)) {
        robot.connect().get(30, TimeUnit.SECONDS);
        sampleId = BenchSample.synthesize(robot);
      }
      Command measure = new Command("measure", Map.of("sampleId", sampleId));

      rows.add(
          row(
              "OPC UA",
              "Milo 1.0.5 client",
              drivers,
              tree,
              DriverBenchmarkLab.OPCUA,
              measure,
              workDir,
              () -> new DriverBenchmarkBare.Milo(lab.endpoint(DriverBenchmarkLab.OPCUA).address()),
              sampleId,
              false));
      rows.add(
          row(
              "serial",
              "jSerialComm 2.11.2",
              drivers,
              tree,
              DriverBenchmarkLab.SERIAL,
              measure,
              workDir,
              () ->
                  new DriverBenchmarkBare.RawSerial(
                      lab.endpoint(DriverBenchmarkLab.SERIAL).address()),
              sampleId,
              true));
      rows.add(
          row(
              "MQTT 5",
              "Paho v5 1.2.5",
              drivers,
              tree,
              DriverBenchmarkLab.MQTT,
              measure,
              workDir,
              () -> new DriverBenchmarkBare.Paho(lab.endpoint(DriverBenchmarkLab.MQTT).address()),
              sampleId,
              false));
      rows.add(
          row(
              "SiLA 2",
              "grpc-java 1.85.0 (TLS)",
              drivers,
              silaTrusted(tree, lab),
              DriverBenchmarkLab.SILA,
              measure,
              workDir,
              () ->
                  new DriverBenchmarkBare.Grpc(
                      lab.endpoint(DriverBenchmarkLab.SILA).address(),
                      Path.of(lab.endpoint(DriverBenchmarkLab.SILA).details().get("certificate"))),
              sampleId,
              false));
      rows.add(
          row(
              "LADS",
              "Milo 1.0.5 client",
              drivers,
              tree,
              DriverBenchmarkLab.LADS,
              measure,
              workDir,
              () -> new DriverBenchmarkBare.Lads(lab.endpoint(DriverBenchmarkLab.LADS).address()),
              sampleId,
              false));
    }
    return rows;
  }

  /** The lab tree with the SiLA 2 server's certificate trusted by the driver. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> silaTrusted(Map<String, Object> tree, VirtualLab lab) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(tree);
    Map<String, Object> instruments =
        new java.util.LinkedHashMap<>((Map<String, Object>) tree.get("instruments"));
    Map<String, Object> sila =
        new java.util.LinkedHashMap<>(
            (Map<String, Object>) instruments.get(DriverBenchmarkLab.SILA));
    sila.put(
        "tls",
        Map.of("certificate", lab.endpoint(DriverBenchmarkLab.SILA).details().get("certificate")));
    instruments.put(DriverBenchmarkLab.SILA, sila);
    copy.put("instruments", instruments);
    return copy;
  }

  /** One way of making the call: through the driver or with the bare library. */
  private interface Side extends AutoCloseable {
    Object call() throws Exception;
  }

  private interface Opener {
    Side open() throws Exception;
  }

  private Row row(
      String protocol,
      String library,
      Drivers drivers,
      Map<String, Object> tree,
      String name,
      Command measure,
      Path workDir,
      BareFactory bare,
      String sampleId,
      boolean exclusive)
      throws Exception {
    Opener viaDriver =
        () -> {
          Instrument instrument = instrument(drivers, tree, name, workDir);
          instrument.connect().get(30, TimeUnit.SECONDS);
          return new Side() {
            @Override
            public Object call() throws Exception {
              return instrument.execute(measure).get(10, TimeUnit.SECONDS);
            }

            @Override
            public void close() {
              instrument.close();
            }
          };
        };
    Opener viaLibrary =
        () -> {
          RoundTrip client = bare.open();
          return new Side() {
            @Override
            public Object call() throws Exception {
              return client.measure(sampleId);
            }

            @Override
            public void close() throws Exception {
              client.close();
            }
          };
        };
    long[] driverNanos = new long[iterations];
    long[] bareNanos = new long[iterations];
    // Driver and library take turns in rounds, so that neither profits from running second
    // (a warmer JIT, a quieter machine). A serial port has one user at a time, so there each
    // side opens and closes it in its own turn; over TCP both stay connected throughout.
    if (exclusive) {
      for (int round = 0; round < ROUNDS; round++) {
        try (Side d = viaDriver.open()) {
          timeRound(d, round, driverNanos);
        }
        try (Side b = viaLibrary.open()) {
          timeRound(b, round, bareNanos);
        }
      }
    } else {
      try (Side d = viaDriver.open();
          Side b = viaLibrary.open()) {
        for (int round = 0; round < ROUNDS; round++) {
          timeRound(d, round, driverNanos);
          timeRound(b, round, bareNanos);
        }
      }
    }
    return new Row(protocol, library, stats(driverNanos), stats(bareNanos));
  }

  private interface BareFactory {
    RoundTrip open() throws Exception;
  }

  private static final int ROUNDS = 10;

  /**
   * Untimed warm-up calls (a share of {@code warmup}), then this round's share of the timed calls.
   */
  private void timeRound(Side side, int round, long[] nanos) throws Exception {
    for (int i = 0; i < warmup / ROUNDS; i++) side.call();
    int from = round * iterations / ROUNDS;
    int to = (round + 1) * iterations / ROUNDS;
    for (int i = from; i < to; i++) {
      long t0 = System.nanoTime();
      side.call();
      nanos[i] = System.nanoTime() - t0;
    }
  }

  @SuppressWarnings("unchecked")
  private static Instrument instrument(
      Drivers drivers, Map<String, Object> tree, String name, Path workDir) {
    Map<String, Object> section =
        (Map<String, Object>) ((Map<String, Object>) tree.get("instruments")).get(name);
    return drivers.create(
        new InstrumentSpec(
            name, String.valueOf(section.get("driver")), section, workDir.resolve("data")));
  }

  /** Nearest-rank percentiles: with 1,000 samples the p99 is the 990th smallest. */
  static Stats stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Stats(
        sorted.length, percentile(sorted, 50) / 1_000.0, percentile(sorted, 99) / 1_000.0);
  }

  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
