package io.labloop.orchestrator.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ApiServer;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.FakeCampaignService;
import io.labloop.orchestrator.api.Tokens;
import io.labloop.orchestrator.config.ConfigProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The API's request parsing over a real socket: random methods, paths, ids, headers, media types
 * and bodies (sized, chunked or lying about their size). Every answer is a status below 500 and
 * every error is problem JSON; the server answers within the bound and serves on. Raw sockets, not
 * an HTTP client, so that requests no well-behaved client would send get through.
 */
class ApiRequestFuzzTest {
  private static final String TOKEN = "fuzz-token-0123456789";
  private static final int MAX_BODY = 8 * 1024;
  private static ApiServer server;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fake engine, with submit checked by the real loader as the daemon does. */
  static final class CheckedSubmit extends FakeCampaignService {
    @Override
    public synchronized CampaignView submit(String fileName, String yaml, Actor who) {
      List<ConfigProblem> problems =
          Invariant.validateYaml(fileName, yaml, Path.of("../config/campaigns"));
      if (!problems.isEmpty())
        throw ApiProblem.invalid(
            fileName + " has problems", problems.stream().map(ConfigProblem::toString).toList());
      return super.submit(fileName, yaml, who);
    }
  }

  @BeforeContainer
  static void start() {
    server =
        ApiServer.builder()
            .settings(new ApiServer.Settings("127.0.0.1", 0, Optional.empty(), MAX_BODY, "fuzz"))
            .campaigns(new CheckedSubmit())
            .tokens(Tokens.builder().token("fuzzer", TOKEN).build())
            .build()
            .start();
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Property(tries = 600)
  void everyRequestGetsAStatusBelow500AndErrorsAreProblemJson(@ForAll("requests") byte[] request) {
    check(request);
  }

  /** Every request that once broke the invariant, kept in {@code src/test/resources/fuzz/api/}. */
  @Example
  void theKeptRequestsHoldTheInvariant() throws IOException {
    for (byte[] kept : FuzzRegressionTest.kept("api")) check(kept);
  }

  private static void check(byte[] request) {
    String answer = Invariant.bounded(() -> exchange(request));
    if (answer.isEmpty())
      return; // the server may close a connection on a request it cannot parse at all
    String statusLine = answer.lines().findFirst().orElse("");
    assertTrue(statusLine.startsWith("HTTP/1.1 "), statusLine);
    int status = Integer.parseInt(statusLine.substring(9, 12));
    assertTrue(
        status < 500,
        () ->
            "a 5xx for\n" + new String(request, StandardCharsets.ISO_8859_1) + "\n---\n" + answer);
    String head =
        answer
            .substring(0, Math.max(0, answer.indexOf("\r\n\r\n")))
            .toLowerCase(java.util.Locale.ROOT);
    // A reload answers with its documented result (applied: false, the problems) also as a 400.
    boolean reloadResult =
        status == 400
            && head.contains("content-type: application/json")
            && answer.contains("\"applied\":false");
    if (status >= 400 && !reloadResult) {
      assertTrue(head.contains("content-type: application/problem+json"), answer);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      if (!body.isEmpty() && !head.contains("transfer-encoding: chunked")) {
        assertDoesNotThrow(
            () -> assertEquals(status, JSON.readTree(body).get("status").asInt()), body);
      }
    }
  }

  /**
   * Sends the bytes and reads the answer until the server closes (every request says Connection:
   * close).
   */
  private static String exchange(byte[] request) {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout((int) Invariant.LIMIT.toMillis());
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
        s.shutdownOutput();
      } catch (IOException refusedMidway) {
        // the server answered (413, 400) and closed before the whole body was sent
      }
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
    } catch (java.net.SocketException reset) {
      return "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<byte[]> requests() {
    return Arbitraries.randomValue(ApiRequestFuzzTest::request);
  }

  private static final List<String> PATHS =
      List.of(
          "/api/health",
          "/api/campaigns",
          "/api/campaigns/ID",
          "/api/campaigns/ID/experiments",
          "/api/campaigns/ID/observations",
          "/api/campaigns/ID/events",
          "/api/campaigns/ID/export?format=FMT",
          "/api/campaigns/ID/approvals",
          "/api/campaigns/ID/approvals/SEQ/approve",
          "/api/campaigns/ID/approvals/SEQ/reject",
          "/api/campaigns/ID/experiments/SEQ/release",
          "/api/campaigns/ID/pause",
          "/api/campaigns/ID/resume",
          "/api/campaigns/ID/abort",
          "/api/emergency-stop",
          "/api/instruments",
          "/api/reload",
          "/openapi.json",
          "/api/campaigns?file=FILE",
          "/nope",
          "/api/../api/health",
          "/api/campaigns/%2e%2e/x");
  private static final List<String> IDS =
      List.of(
          "silver-1",
          "x~1",
          "a%00b",
          "%ff%fe",
          "..",
          "%2F",
          "~",
          "-1",
          "%",
          "a b",
          "\u00e9",
          "9999999999999999999");
  private static final List<String> TYPES =
      List.of(
          "application/json",
          "application/yaml",
          "text/plain",
          "image/png",
          "application/json; charset=latin1",
          "multipart/form-data; boundary=x",
          "",
          ";;;",
          "application/merge-patch+json");
  private static final List<String> BODIES =
      List.of(
          "",
          "{}",
          "[]",
          "null",
          "{\"reason\": 1}",
          "{\"action\": \"retry\"}",
          "{\"action\": \"measured\", \"values\": {\"y\": \"x\"}}",
          "{\"action\": \"measured\", \"values\": {\"y\": 1e999}}",
          "campaign: silver\n",
          "campaign: [[[[\n",
          "{\"reason\": \"" + "x".repeat(100) + "\"}",
          "\u00ff\u00fe",
          "not json",
          "{{{{");

  private static byte[] request(Random r) {
    String method =
        List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "G\u0000T")
            .get(r.nextInt(9));
    String path =
        PATHS
            .get(r.nextInt(PATHS.size()))
            .replace(
                "ID",
                r.nextInt(8) == 0 ? "x".repeat(r.nextInt(20_000)) : IDS.get(r.nextInt(IDS.size())))
            .replace("SEQ", List.of("1", "0", "-3", "x", "99999999999", "1.5").get(r.nextInt(6)))
            .replace("FMT", List.of("csv", "jsonl", "xml", "", "%00").get(r.nextInt(5)))
            .replace(
                "FILE",
                List.of("a.yaml", "../../etc/passwd", "%00", "x".repeat(300)).get(r.nextInt(4)));
    String body =
        r.nextInt(6) == 0
            ? Mutations.mutate(BODIES.get(r.nextInt(BODIES.size())), r, 6)
            : BODIES.get(r.nextInt(BODIES.size()));
    if (r.nextInt(10) == 0) body = body + " ".repeat(MAX_BODY + r.nextInt(MAX_BODY));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(
            method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (r.nextInt(4) != 0)
      head.append("Authorization: ")
          .append(r.nextInt(5) == 0 ? "Bearer wrong" : "Bearer " + TOKEN)
          .append("\r\n");
    String type = TYPES.get(r.nextInt(TYPES.size()));
    if (!type.isEmpty()) head.append("Content-Type: ").append(type).append("\r\n");
    if (r.nextInt(10) == 0)
      head.append("X-Long: ").append("y".repeat(r.nextInt(20_000))).append("\r\n");
    boolean chunked = r.nextInt(3) == 0;
    if (chunked) {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      StringBuilder chunks = new StringBuilder();
      int at = 0;
      String latin = new String(bytes, StandardCharsets.ISO_8859_1);
      while (at < latin.length()) {
        int n = Math.min(latin.length() - at, 1 + r.nextInt(4096));
        chunks
            .append(Integer.toHexString(n))
            .append("\r\n")
            .append(latin, at, at + n)
            .append("\r\n");
        at += n;
      }
      if (r.nextInt(8) != 0) chunks.append("0\r\n\r\n");
      return (head + chunks.toString()).getBytes(StandardCharsets.ISO_8859_1);
    }
    long declared =
        r.nextInt(8) == 0 ? List.of(0L, 1L, 100_000_000L, -1L).get(r.nextInt(4)) : bytes.length;
    head.append("Content-Length: ").append(declared).append("\r\n\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[h.length + bytes.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(bytes, 0, all, h.length, bytes.length);
    return all;
  }
}
