package io.labloop.orchestrator.console;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.bench.api.ApiBenchmark;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.config.BuiltInFiles;
import io.labloop.orchestrator.daemon.Daemon;
import io.labloop.orchestrator.daemon.DaemonConfig;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code labloop bench console}: is the console fast on a big campaign, and do open consoles slow
 * the lab down?
 *
 * <p>Part one writes a finished campaign of {@code experiments} (10,000) experiments into a store
 * ({@link SyntheticCampaign}), starts a daemon on it and opens the campaign page as the browser
 * does: the page, its script, the campaign, the plots' series, the first table page, approvals and
 * held experiments, one after the other (the browser sends the data requests in parallel, so this
 * is pessimistic). Timed cold (first open after the daemon started, including the chart library)
 * and warm (median and worst of {@code opens} more).
 *
 * <p>Part two runs the same virtual-lab campaign as {@code bench api} twice, alone and with {@code
 * pages} consoles open on it, each one following the event stream and reloading what the page
 * reloads on every event (campaign, series, table page, approvals, held) at most every 250 ms, as
 * the page's script does. Reported: the campaign's throughput with pages divided by without.
 */
public final class ConsoleBenchmark {

  public record Settings(
      int experiments, int opens, int pages, int campaignExperiments, Duration maxTime) {}

  /**
   * @param coldMillis the first open after start
   * @param warmP50Millis median of the later opens
   * @param warmMaxMillis worst later open
   * @param coldCpuMillis CPU time this process (daemon and benchmark, all threads) spent during the
   *     cold open: less sensitive to other programs on the machine than the wall-clock time
   * @param coldByRequest milliseconds of each request of the cold open, in order
   * @param bytes what one warm open transferred (without the chart library, which the browser
   *     caches)
   */
  public record Result(
      Settings settings,
      double fillSeconds,
      double coldMillis,
      double warmP50Millis,
      double warmMaxMillis,
      double coldCpuMillis,
      Map<String, Double> coldByRequest,
      long bytes,
      double aloneSeconds,
      double loadedSeconds,
      long pageRefreshes,
      long errors) {
    public double ratio() {
      return aloneSeconds / loadedSeconds;
    }
  }

  private ConsoleBenchmark() {}

  public static Result run(Settings s, Path work) throws IOException {
    Files.createDirectories(work);
    Path lab = work.resolve("bench-lab.yaml");
    Files.writeString(lab, BuiltInFiles.text(ApiBenchmark.class, "bench-lab.yaml", Map.of()));
    Path data = work.resolve("data");
    long t0 = System.nanoTime();
    String bigId;
    boolean kept;
    String bigName = "bench-console-big-" + s.experiments();
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      // a work folder of an earlier run keeps its filled store: measure again without refilling
      Optional<RunRecord> earlier =
          store.latestRun(bigName).filter(r -> r.status() != RunStatus.RUNNING);
      RunRecord run =
          earlier.isPresent()
              ? earlier.get()
              : SyntheticCampaign.write(store, bigName, s.experiments(), 1);
      bigId = run.id().replace('/', '~');
      kept = earlier.isPresent();
    }
    double fill = (System.nanoTime() - t0) / 1e9;
    DaemonConfig d = DaemonConfig.defaults(lab, data);
    DaemonConfig config =
        new DaemonConfig(
            lab,
            work,
            data,
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
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (Daemon daemon = Daemon.start(config, Map.of(), "bench")) {
      URI base = daemon.url();
      long[] bytes = new long[1];
      Map<String, Double> coldByRequest = new java.util.LinkedHashMap<>();
      long cpu0 = processCpuNanos();
      double cold = open(http, base, bigId, true, bytes, coldByRequest);
      double coldCpu = (processCpuNanos() - cpu0) / 1e6;
      double[] warm = new double[s.opens()];
      for (int i = 0; i < warm.length; i++)
        warm[i] = open(http, base, bigId, false, bytes, new java.util.LinkedHashMap<>());
      Arrays.sort(warm);

      // a kept work folder has these campaigns done already: new names, so that they run again
      String again = kept ? "-" + Long.toString(System.currentTimeMillis(), 36) : "";
      LabLoopClient client = new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
      runCampaign(client, "bench-console-warmup" + again, 2, s.maxTime(), null);
      double alone =
          runCampaign(
              client, "bench-console-alone" + again, s.campaignExperiments(), s.maxTime(), null);
      Pages pages = new Pages(http, base, s.pages());
      double loaded;
      try {
        loaded =
            runCampaign(
                client,
                "bench-console-loaded" + again,
                s.campaignExperiments(),
                s.maxTime(),
                pages);
      } finally {
        pages.stop();
      }
      return new Result(
          s,
          fill,
          cold,
          warm[warm.length / 2],
          warm[warm.length - 1],
          coldCpu,
          coldByRequest,
          bytes[0],
          alone,
          loaded,
          pages.refreshes.get(),
          pages.errors.get());
    }
  }

  /** Opens the campaign page as the browser does; milliseconds. */
  /** CPU time of this whole process so far (every thread), in nanoseconds; -1 if unknown. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static double open(
      HttpClient http,
      URI base,
      String id,
      boolean withLibrary,
      long[] bytes,
      Map<String, Double> byRequest)
      throws IOException {
    List<String> paths =
        new ArrayList<>(List.of("/", "/console/assets/console.js", "/console/assets/console.css"));
    if (withLibrary) paths.add("/webjars/echarts/5.3.1/dist/echarts.min.js");
    paths.addAll(
        List.of(
            "/console/api/session",
            "/console/api/campaigns/" + id + "/summary",
            "/console/api/campaigns/" + id + "/series",
            "/api/campaigns/" + id + "/approvals",
            "/console/api/campaigns/" + id + "/experiments?status=HELD&limit=100&sort=seq",
            "/console/api/campaigns/" + id + "/experiments?offset=0&limit=50&sort=-seq"));
    long t0 = System.nanoTime();
    long total = 0;
    for (String p : paths) {
      long t1 = System.nanoTime();
      HttpResponse<byte[]> r = get(http, base.resolve(p));
      byRequest.put(p.replace(id, "{id}"), (System.nanoTime() - t1) / 1e6);
      if (r.statusCode() != 200)
        throw new IllegalStateException("GET " + p + " answered " + r.statusCode());
      if (!p.startsWith("/webjars/")) total += r.body().length;
    }
    bytes[0] = total;
    return (System.nanoTime() - t0) / 1e6;
  }

  private static HttpResponse<byte[]> get(HttpClient http, URI uri) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static double runCampaign(
      LabLoopClient client, String name, int budget, Duration maxTime, Pages pages) {
    String yaml =
        BuiltInFiles.text(
            ApiBenchmark.class,
            "bench-campaign.yaml",
            Map.of("NAME", name, "BUDGET", Integer.toString(budget)));
    long t0 = System.nanoTime();
    CampaignView c = client.submit(name + ".yaml", yaml);
    if (pages != null) pages.start(c.id());
    long deadline = t0 + maxTime.toNanos();
    while (!client.campaign(c.id()).status().equals("DONE")) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            name + " did not finish within " + maxTime.toSeconds() + " s");
      sleep(20);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Open consoles: each follows the event stream and reloads the page's data after events, at most
   * every 250 ms.
   */
  private static final class Pages {
    private final HttpClient http;
    private final URI base;
    private final int count;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<java.util.concurrent.CompletableFuture<?>> streams = new ArrayList<>();

    Pages(HttpClient http, URI base, int count) {
      this.http = http;
      this.base = base;
      this.count = count;
    }

    void start(String id) {
      for (int i = 0; i < count; i++) {
        AtomicLong events = new AtomicLong();
        HttpRequest sse =
            HttpRequest.newBuilder(base.resolve("/api/events?campaign=" + id))
                .header("Accept", "text/event-stream")
                .build();
        streams.add(
            http.sendAsync(sse, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(
                    r ->
                        r.body()
                            .forEach(
                                line -> {
                                  if (line.startsWith("data:")) events.incrementAndGet();
                                })));
        Thread t =
            new Thread(
                () -> {
                  long seen = 0;
                  while (!stop.get()) {
                    long now = events.get();
                    if (now != seen) {
                      seen = now;
                      try {
                        for (String p :
                            List.of(
                                "/console/api/campaigns/" + id + "/summary",
                                "/console/api/campaigns/" + id + "/series",
                                "/api/campaigns/" + id + "/approvals",
                                "/console/api/campaigns/"
                                    + id
                                    + "/experiments?status=HELD&limit=100&sort=seq",
                                "/console/api/campaigns/"
                                    + id
                                    + "/experiments?offset=0&limit=50&sort=-seq")) {
                          if (get(http, base.resolve(p)).statusCode() != 200)
                            errors.incrementAndGet();
                        }
                        refreshes.incrementAndGet();
                      } catch (IOException e) {
                        errors.incrementAndGet();
                      }
                    }
                    sleep(250);
                  }
                },
                "bench-page-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void stop() {
      stop.set(true);
      streams.forEach(f -> f.cancel(true));
      for (Thread t : threads) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
