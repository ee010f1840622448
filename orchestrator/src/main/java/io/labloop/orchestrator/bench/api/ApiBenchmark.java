package io.labloop.orchestrator.bench.api;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.config.BuiltInFiles;
import io.labloop.orchestrator.daemon.Daemon;
import io.labloop.orchestrator.daemon.DaemonConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code labloop bench api}: does the API slow the lab down? A daemon on the virtual lab (in this
 * process, loopback only) runs the same campaign twice: once alone, once while {@code readers}
 * clients poll its status. Reported: the readers' latency percentiles and the campaign's throughput
 * (experiments per second, submit to DONE) with readers divided by without. Bounded: each reader
 * stops when the campaign ends, at {@code maxTime}, or after {@code maxRequestsPerReader} requests,
 * whichever comes first.
 */
public final class ApiBenchmark {

  /** The settings of one benchmark run. */
  public record Settings(
      int readers,
      int experiments,
      Duration pollInterval,
      Duration maxTime,
      int maxRequestsPerReader) {
    public Settings {
      if (readers < 1 || readers > 200) throw new IllegalArgumentException("readers must be 1-200");
      if (experiments < 2 || experiments > 500)
        throw new IllegalArgumentException("experiments must be 2-500");
    }
  }

  /**
   * @param aloneSeconds the campaign's time without readers
   * @param loadedSeconds the campaign's time with readers
   * @param requests status requests answered during the loaded run
   * @param errors requests that failed or did not answer 200
   * @param p50Millis median latency
   * @param p99Millis 99th percentile latency
   * @param maxMillis worst latency
   */
  public record Result(
      Settings settings,
      double aloneSeconds,
      double loadedSeconds,
      long requests,
      long errors,
      double p50Millis,
      double p99Millis,
      double maxMillis) {
    public double aloneThroughput() {
      return settings.experiments() / aloneSeconds;
    }

    public double loadedThroughput() {
      return settings.experiments() / loadedSeconds;
    }

    /** With readers ÷ without; 1.0 means the readers cost the lab nothing. */
    public double ratio() {
      return loadedThroughput() / aloneThroughput();
    }

    public double requestsPerSecond() {
      return requests / loadedSeconds;
    }
  }

  private ApiBenchmark() {}

  public static Result run(Settings s, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path lab = BuiltInFiles.write(ApiBenchmark.class, "bench-lab.yaml", workDir, Map.of());
      DaemonConfig d = DaemonConfig.defaults(lab, workDir.resolve("data"));
      DaemonConfig config =
          new DaemonConfig(
              lab,
              workDir,
              d.data(),
              true,
              "127.0.0.1",
              0,
              d.maxBody(),
              Optional.empty(),
              Map.of(),
              Optional.empty(),
              Duration.ofMinutes(10),
              List.of(),
              d.zone(),
              Duration.ofSeconds(30));
      try (Daemon daemon = Daemon.start(config, Map.of(), "bench")) {
        LabLoopClient client =
            new LabLoopClient(ClientSettings.resolve(null, null, d.data(), Map.of()));
        // A first short campaign warms up the JIT, the drivers and the store.
        runCampaign(client, "bench-warmup", 2, s.maxTime());
        double alone = runCampaign(client, "bench-alone", s.experiments(), s.maxTime());
        Load load = new Load(daemon.url(), s);
        double loaded;
        try {
          loaded = runCampaign(client, "bench-loaded", s.experiments(), s.maxTime(), load);
        } finally {
          load.stop();
        }
        long[] all = load.latencies();
        Arrays.sort(all);
        return new Result(
            s,
            alone,
            loaded,
            all.length,
            load.errors.get(),
            millis(percentile(all, 0.50)),
            millis(percentile(all, 0.99)),
            all.length == 0 ? Double.NaN : millis(all[all.length - 1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double runCampaign(
      LabLoopClient client, String name, int budget, Duration maxTime) {
    return runCampaign(client, name, budget, maxTime, null);
  }

  /**
   * Seconds from submit to DONE; with {@code load}, the readers start on the campaign's id first.
   */
  private static double runCampaign(
      LabLoopClient client, String name, int budget, Duration maxTime, Load load) {
    String yaml =
        BuiltInFiles.text(
            ApiBenchmark.class,
            "bench-campaign.yaml",
            Map.of("NAME", name, "BUDGET", Integer.toString(budget)));
    long t0 = System.nanoTime();
    CampaignView c = client.submit(name + ".yaml", yaml);
    if (load != null) load.start(c.id());
    long deadline = t0 + maxTime.toNanos();
    while (!client.campaign(c.id()).status().equals("DONE")) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            name + " did not finish within " + maxTime.toSeconds() + " s");
      pause(Duration.ofMillis(20));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The readers: each polls the campaign's status, with its own latency log. */
  private static final class Load {
    private final URI base;
    private final Settings s;
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong errors = new AtomicLong();
    private final List<long[]> logs = new ArrayList<>();
    private final List<int[]> counts = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    Load(URI base, Settings s) {
      this.base = base;
      this.s = s;
    }

    void start(String campaignId) {
      CountDownLatch ready = new CountDownLatch(s.readers());
      HttpRequest status =
          HttpRequest.newBuilder(base.resolve("/api/campaigns/" + campaignId)).GET().build();
      long end = System.nanoTime() + s.maxTime().toNanos();
      for (int r = 0; r < s.readers(); r++) {
        long[] log = new long[s.maxRequestsPerReader()];
        int[] n = new int[1];
        logs.add(log);
        counts.add(n);
        Thread t =
            new Thread(
                () -> {
                  ready.countDown();
                  while (!stop.get() && n[0] < log.length && System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                      HttpResponse<Void> resp =
                          http.send(status, HttpResponse.BodyHandlers.discarding());
                      if (resp.statusCode() != 200) errors.incrementAndGet();
                    } catch (IOException e) {
                      errors.incrementAndGet();
                    } catch (InterruptedException e) {
                      return;
                    }
                    log[n[0]++] = System.nanoTime() - t0;
                    if (!s.pollInterval().isZero()) pause(s.pollInterval());
                  }
                },
                "bench-reader-" + r);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      try {
        ready.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stop() {
      stop.set(true);
      for (Thread t : threads) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    long[] latencies() {
      int total = counts.stream().mapToInt(n -> n[0]).sum();
      long[] all = new long[total];
      int at = 0;
      for (int i = 0; i < logs.size(); i++) {
        System.arraycopy(logs.get(i), 0, all, at, counts.get(i)[0]);
        at += counts.get(i)[0];
      }
      return all;
    }
  }

  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
