package io.labloop.orchestrator.bench.agents;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.orchestrator.agent.AgentLink;
import io.labloop.orchestrator.agent.BrokerSettings;
import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.agent.RemoteInstrument;
import io.labloop.orchestrator.bench.BenchSample;
import io.labloop.orchestrator.config.BuiltInFiles;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.simulators.mqtt.EmbeddedBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code labloop bench agents} (1): the round trip of one measure command to a virtual serial
 * spectrometer (zero duration), driven by this process's serial driver beside the same command to
 * an identical spectrometer behind an {@link InstrumentAgent}, reached through {@link
 * RemoteInstrument} over the embedded HiveMQ CE broker on the loopback. Agent, broker and daemon
 * side share this JVM: the ratio is about the two MQTT hops and the agent's handling, which a
 * separate agent process would not change, only a network between PCs would. Rounds alternate
 * (local, then agent), each after untimed warm-up calls, one call at a time; median and p99 are
 * nearest-rank. The site (2) is {@link AgentBenchmarkSite}.
 */
public final class AgentBenchmark {

  /** Median and 99th percentile of one round trip, in milliseconds. */
  public record Stats(int samples, double medianMs, double p99Ms) {}

  /** Result of (1). */
  public record RoundTrip(Stats local, Stats agent) {
    public double medianRatio() {
      return agent.medianMs() / local.medianMs();
    }

    public double p99Ratio() {
      return agent.p99Ms() / local.p99Ms();
    }
  }

  static final String AGENT = "bench-pc";
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private final ConfigLoader loader;

  public AgentBenchmark(ConfigLoader loader) {
    this.loader = loader;
  }

  /**
   * @param rounds alternating rounds, each of {@code perRound} timed calls local then as many
   *     through the agent, after {@code warmup} untimed calls of each
   */
  public RoundTrip roundTrip(int rounds, int perRound, int warmup, Path work) throws Exception {
    Files.createDirectories(work);
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(URI.create("tcp://127.0.0.1:0"), work.resolve("broker"))) {
      String url = broker.uri().toString();
      Path labFile =
          BuiltInFiles.write(
              AgentBenchmark.class,
              "agent-bench-lab.yaml",
              work,
              Map.of("DIR", work.toAbsolutePath().toString(), "BROKER", url));
      LabConfig file = loader.loadLab(labFile);
      try (VirtualLabs.Running sim = VirtualLabs.start(file, work.resolve("sim"), Map.of(), false);
          Drivers drivers = Drivers.standard();
          InstrumentAgent agent =
              new InstrumentAgent(
                  AGENT, sim.config(), BrokerSettings.plain(url), work.resolve("agent"), drivers);
          AgentLink link = new AgentLink(BrokerSettings.plain(url));
          Instrument robot = drivers.create(sim.config().instrument("robot").spec());
          Instrument local = drivers.create(sim.config().instrument("spectrometer").spec());
          Instrument remote =
              new RemoteInstrument(sim.config().instrument("remote-spectrometer"), AGENT, link)) {
        agent.start(CONNECT);
        link.connect(CONNECT);
        robot.connect().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
        local.connect().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
        remote.connect().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
        String sample = BenchSample.synthesize(robot);
        Command measure = new Command("measure", Map.of("sampleId", sample));
        long[] localNanos = new long[rounds * perRound];
        long[] agentNanos = new long[rounds * perRound];
        for (int r = 0; r < rounds; r++) {
          time(local, measure, warmup, perRound, localNanos, r * perRound);
          time(remote, measure, warmup, perRound, agentNanos, r * perRound);
        }
        return new RoundTrip(stats(localNanos), stats(agentNanos));
      }
    }
  }

  private static void time(Instrument i, Command c, int warmup, int timed, long[] into, int from)
      throws Exception {
    for (int k = 0; k < warmup + timed; k++) {
      long t0 = System.nanoTime();
      i.execute(c).get(30, TimeUnit.SECONDS);
      long t = System.nanoTime() - t0;
      if (k >= warmup) into[from + k - warmup] = t;
    }
  }

  /** Nearest-rank percentiles: with 1,000 samples the p99 is the 990th smallest. */
  static Stats stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Stats(sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
  }

  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
