package io.labloop.orchestrator.bench.hostile;

import io.labloop.orchestrator.bench.api.ApiBenchmark;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.config.BuiltInFiles;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code labloop bench hostile}: issue 14's acceptance measurement. A real {@code labloop daemon
 * --sim} process runs a normal campaign; {@code clients} threads send every hostile input of the
 * issue in a loop (each thread cycles through all of them) for the given time, with the lab file
 * replaced by a FIFO so that the reloads among them meet a file that would block; meanwhile one
 * probe sends a normal request ({@code GET /api/campaigns/ID}) every 50 ms and its latency is kept.
 * Then the lab file is put back, the daemon gets SIGTERM, and the time until it has exited is
 * compared with its {@code shutdown-grace}. Every hostile answer is checked against the status it
 * must get; any other status counts as a failure.
 */
public final class HostileBenchmark {

  /** One hostile input: what it is, how to send it, the statuses it may get. */
  record Hostile(String name, Function<URI, HttpRequest.Builder> request, Set<Integer> expected) {}

  /** The figures. */
  public record Result(
      int clients,
      Duration duration,
      Map<String, Long> sentByInput,
      long unexpected,
      List<String> unexpectedSamples,
      long probes,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      double stopSeconds,
      double graceSeconds,
      int exitCode) {}

  private static final Duration PROBE_EVERY = Duration.ofMillis(50);
  private static final Duration GRACE = Duration.ofSeconds(60);

  private HostileBenchmark() {}

  public static Result run(int clients, Duration duration, Path work)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path lab = work.resolve("bench-lab.yaml");
    String labText = BuiltInFiles.text(ApiBenchmark.class, "bench-lab.yaml", Map.of());
    Files.writeString(lab, labText);
    Path data = work.resolve("data");
    Process daemon = startDaemon(lab, data, work.resolve("daemon.out"));
    try {
      LabLoopClient client = new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
      URI base = client.url();
      String token = Files.readString(data.resolve("token")).strip();
      String campaign = campaign("hostile-normal", 100_000);
      String id = client.submit("normal.yaml", campaign).id();
      List<Hostile> inputs = hostile(token);

      Files.delete(lab);
      if (new ProcessBuilder("mkfifo", lab.toString()).start().waitFor() != 0)
        throw new IOException("mkfifo failed");
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      AtomicBoolean stop = new AtomicBoolean();
      Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
      AtomicLong unexpected = new AtomicLong();
      List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int offset = c;
        Thread t =
            new Thread(
                () -> {
                  for (int i = offset; !stop.get(); i++) {
                    Hostile h = inputs.get(i % inputs.size());
                    int status = -1;
                    try {
                      // Two tries: the client may reuse a connection the daemon has just closed
                      // after
                      // refusing an upload; that is the client's race, not an answer.
                      for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
                        try {
                          status =
                              http.send(
                                      h.request()
                                          .apply(base)
                                          .timeout(Duration.ofSeconds(30))
                                          .build(),
                                      HttpResponse.BodyHandlers.discarding())
                                  .statusCode();
                        } catch (IOException e) {
                          // the daemon refused a 50 MB upload and closed the connection while it
                          // was being sent
                          if (h.expected().contains(413)) status = 413;
                        }
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                    sent.computeIfAbsent(h.name(), k -> new AtomicLong()).incrementAndGet();
                    if (!h.expected().contains(status)) {
                      unexpected.incrementAndGet();
                      if (samples.size() < 10)
                        samples.add(
                            h.name() + " got " + status + " (expected " + h.expected() + ")");
                    }
                  }
                },
                "hostile-" + c);
        t.start();
        threads.add(t);
      }
      List<Long> latencies = new ArrayList<>();
      HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      long end = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            probeClient.send(
                HttpRequest.newBuilder(base.resolve("/api/campaigns/" + id))
                    .GET()
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - t0;
        if (r.statusCode() != 200)
          throw new IllegalStateException(
              "the normal request got " + r.statusCode() + ": " + r.body());
        latencies.add(took);
        Thread.sleep(Math.max(0, PROBE_EVERY.toMillis() - took / 1_000_000));
      }
      stop.set(true);
      for (Thread t : threads) t.join(60_000);

      Files.delete(lab);
      Files.writeString(lab, labText);
      long t0 = System.nanoTime();
      daemon.destroy(); // SIGTERM
      boolean ended = daemon.waitFor(GRACE.toSeconds() + 30, java.util.concurrent.TimeUnit.SECONDS);
      double stopSeconds = (System.nanoTime() - t0) / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      Map<String, Long> counts = new TreeMap<>();
      sent.forEach((k, v) -> counts.put(k, v.get()));
      return new Result(
          clients,
          duration,
          counts,
          unexpected.get(),
          List.copyOf(samples),
          sorted.length,
          millis(sorted[(int) Math.floor(0.50 * (sorted.length - 1))]),
          millis(sorted[(int) Math.floor(0.99 * (sorted.length - 1))]),
          millis(sorted[sorted.length - 1]),
          stopSeconds,
          GRACE.toSeconds(),
          ended ? daemon.exitValue() : Integer.MIN_VALUE);
    } finally {
      daemon.destroyForcibly();
    }
  }

  private static List<Hostile> hostile(String token) {
    String good = campaign("@NAME@", 3);
    String bearer = "Bearer " + token;
    Function<String, Function<URI, HttpRequest.Builder>> submit =
        yaml ->
            base ->
                HttpRequest.newBuilder(base.resolve("/api/campaigns?file=h.yaml"))
                    .header("Authorization", bearer)
                    .POST(HttpRequest.BodyPublishers.ofString(yaml));
    Set<Integer> s400 = Set.of(400);
    List<Hostile> out = new ArrayList<>();
    out.add(new Hostile("name a/b", submit.apply(good.replace("@NAME@", "a/b")), s400));
    out.add(
        new Hostile(
            "name of 5,000 characters",
            submit.apply(good.replace("@NAME@", "x".repeat(5000))),
            s400));
    out.add(new Hostile("name with NUL", submit.apply(good.replace("@NAME@", "\"a\\0b\"")), s400));
    out.add(
        new Hostile(
            "name =HYPERLINK(...)",
            submit.apply(good.replace("@NAME@", "'=HYPERLINK(\"http://x\")'")),
            s400));
    out.add(
        new Hostile(
            "constraint FACT(999999999) > 0",
            submit.apply(
                good.replace("@NAME@", "h-fact")
                    .replace("workflow:", "constraints: [\"FACT(999999999) > 0\"]\nworkflow:")),
            s400));
    out.add(
        new Hostile(
            "constraint of 50,000 terms",
            submit.apply(
                good.replace("@NAME@", "h-terms")
                    .replace(
                        "workflow:",
                        "constraints: [\"temperature"
                            + " + time".repeat(50_000)
                            + " <= 1\"]\nworkflow:")),
            s400));
    out.add(
        new Hostile(
            "10,000 nested lists",
            submit.apply("campaign: x\nlab: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"),
            s400));
    out.add(
        new Hostile(
            "10,000 nested maps",
            submit.apply(
                "campaign: x\nlab: " + "{k: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n"),
            s400));
    out.add(
        new Hostile(
            "reload with the lab file a FIFO",
            base ->
                HttpRequest.newBuilder(base.resolve("/api/reload"))
                    .header("Authorization", bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()),
            s400));
    for (String route :
        List.of(
            "/api/campaigns/x~1/approvals/1/approve",
            "/api/campaigns/x~1/pause",
            "/api/campaigns/x~1/resume",
            "/api/reload")) {
      out.add(
          new Hostile(
              "50 MB to " + route,
              base ->
                  HttpRequest.newBuilder(base.resolve(route))
                      .header("Authorization", bearer)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.fromPublisher(
                              HttpRequest.BodyPublishers.ofInputStream(() -> zeros(50L << 20)),
                              50L << 20)),
              Set.of(413)));
      out.add(
          new Hostile(
              "50 MB chunked to " + route,
              base ->
                  HttpRequest.newBuilder(base.resolve(route))
                      .header("Authorization", bearer)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> zeros(50L << 20))),
              Set.of(413)));
    }
    out.add(
        new Hostile(
            "approve with a body that is not JSON",
            base ->
                HttpRequest.newBuilder(base.resolve("/api/campaigns/x~1/approvals/1/approve"))
                    .header("Authorization", bearer)
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("yes please")),
            Set.of(415)));
    out.add(
        new Hostile(
            "export of an unknown run",
            base ->
                HttpRequest.newBuilder(base.resolve("/api/campaigns/no-such~9/export?format=csv"))
                    .header("Authorization", bearer)
                    .GET(),
            Set.of(404)));
    out.add(
        new Hostile(
            "id with NUL",
            base ->
                HttpRequest.newBuilder(base.resolve("/api/campaigns/a%00b"))
                    .header("Authorization", bearer)
                    .GET(),
            Set.of(400, 404)));
    out.add(
        new Hostile(
            "id of 100 KB",
            base ->
                HttpRequest.newBuilder(URI.create(base + "/api/campaigns/" + "x".repeat(100_000)))
                    .header("Authorization", bearer)
                    .GET(),
            Set.of(414, 431)));
    out.add(
        new Hostile(
            "unknown token",
            base ->
                HttpRequest.newBuilder(base.resolve("/api/emergency-stop"))
                    .header("Authorization", "Bearer not-the-token")
                    .POST(HttpRequest.BodyPublishers.noBody()),
            Set.of(401)));
    return out;
  }

  /** {@code n} zero bytes without holding them: the client streams them. */
  private static InputStream zeros(long n) {
    return new InputStream() {
      private long left = n;

      @Override
      public int read() {
        if (left <= 0) return -1;
        left--;
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) return -1;
        int k = (int) Math.min(len, left);
        Arrays.fill(b, off, off + k, (byte) ' ');
        left -= k;
        return k;
      }
    };
  }

  private static Process startDaemon(Path lab, Path data, Path output)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-Dlabloop.data=" + data,
                "-cp",
                System.getProperty("java.class.path"),
                "io.labloop.orchestrator.cli.Main",
                "daemon",
                "--lab",
                lab.toString(),
                "--sim",
                "--port",
                "0",
                "--data",
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    pb.environment().remove("LABLOOP_TOKEN");
    Process p = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive())
        throw new IllegalStateException("the daemon exited; its output is in " + output);
      if (Files.exists(data.resolve("url"))) {
        try {
          if ("ok"
              .equals(
                  new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()))
                      .health()
                      .get("status"))) return p;
        } catch (RuntimeException notYet) {
          // still starting
        }
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "the daemon did not answer within 120 s; its output is in " + output);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The API benchmark's campaign (same lab, random planner) under this name and budget. */
  private static String campaign(String name, int budget) {
    return BuiltInFiles.text(
        ApiBenchmark.class,
        "bench-campaign.yaml",
        Map.of("NAME", name, "BUDGET", Integer.toString(budget)));
  }
}
