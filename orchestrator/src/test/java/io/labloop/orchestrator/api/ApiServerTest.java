package io.labloop.orchestrator.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API over real HTTP on loopback, with an in-memory engine behind it. */
class ApiServerTest {
  private static final String TOKEN = "s3cret-token-for-alice";
  private static final String CAMPAIGN =
      "campaign: silver\nparameters:\n  t: { type: continuous, min: 1, max: 2 }\n";

  private final FakeCampaignService service = new FakeCampaignService();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private ApiServer server;
  private URI base;
  private LabLoopClient alice;

  @BeforeEach
  void start() {
    server =
        ApiServer.builder()
            .settings(new ApiServer.Settings("127.0.0.1", 0, Optional.empty(), 4096, "test"))
            .campaigns(service)
            .tokens(Tokens.builder().token("alice", TOKEN).build())
            .metrics(() -> "labloop_up 1\n")
            .build()
            .start();
    base = URI.create("http://127.0.0.1:" + server.port());
    alice = new LabLoopClient(new ClientSettings(base, Optional.of(TOKEN)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void submitThenInspectAndExport() {
    CampaignView c = alice.submit("silver.yaml", CAMPAIGN);
    assertEquals("silver", c.name());
    service.addExperiment(c.id(), Map.of("t", 1.5), 0.25);

    assertEquals(List.of(c.id()), alice.campaigns().stream().map(CampaignView::id).toList());
    assertEquals(1, alice.campaign(c.id()).experimentsDone());
    List<ExperimentView> experiments = alice.experiments(c.id());
    assertEquals(1, experiments.size());
    assertEquals(1.5, experiments.get(0).requested().get("t"));
    assertEquals(0.25, experiments.get(0).objectives().get("y"));
    assertEquals(1, alice.observations(c.id()).size());
    assertEquals("seq,status,y\n1,DONE,0.25\n", alice.export(c.id(), "csv"));
    assertEquals(c.id(), alice.find("silver").id());
  }

  @Test
  void changesWithoutATokenAreRefusedAndReadsFromLoopbackAreOpen() throws Exception {
    HttpResponse<String> r = post("/api/campaigns", CAMPAIGN, null);
    assertEquals(401, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertEquals("Bearer realm=\"labloop\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, json.readTree(r.body()).get("status").asInt());

    assertEquals(401, post("/api/campaigns", CAMPAIGN, "not-the-token").statusCode());
    assertEquals(401, post("/api/emergency-stop", "", null).statusCode());
    assertTrue(service.campaigns().isEmpty(), "nothing was submitted");

    assertEquals(200, get("/api/campaigns", null).statusCode());
    assertEquals(401, get("/api/campaigns", "not-the-token").statusCode());
  }

  @Test
  void auditRecordsTheTokensNameNeverTheToken() {
    CampaignView c = alice.submit("silver.yaml", CAMPAIGN);
    alice.pause(c.id());
    alice.resume(c.id());
    alice.abort(c.id());
    assertEquals(
        List.of("alice", "alice", "alice", "alice"),
        service.audit.stream().map(EventView::actor).toList());
    assertTrue(service.audit.stream().noneMatch(e -> e.message().contains(TOKEN)));
    List<String> messages = alice.events(c.id()).stream().map(EventView::message).toList();
    assertTrue(messages.contains("alice paused the campaign"), messages::toString);
    assertTrue(messages.contains("alice aborted the campaign"), messages::toString);
  }

  @Test
  void malformedYamlGets400WithPositionAndTheServerGoesOn() throws Exception {
    HttpResponse<String> r =
        post("/api/campaigns?file=bad.yaml", "campaign: x\nparameters: [a, b\n", TOKEN);
    assertEquals(400, r.statusCode());
    JsonNode p = json.readTree(r.body());
    assertEquals("urn:labloop:problem:invalid-input", p.get("type").asText());
    assertEquals("/api/campaigns", p.get("instance").asText());
    assertTrue(p.get("problems").get(0).asText().matches("bad\\.yaml:3:1: error: .*"), p::toString);

    ApiProblem e =
        assertThrows(ApiProblem.class, () -> alice.submit("nameless.yaml", "parameters: {}\n"));
    assertEquals(400, e.status());
    assertEquals(
        List.of("nameless.yaml:1:1: error: missing key 'campaign' (expected the campaign's name)"),
        e.problems());
    assertEquals("ok", alice.health().get("status"));
  }

  @Test
  void binaryBodyIsRefusedWithWhereTheBadByteIs() throws Exception {
    byte[] body = "campaign: x\nab\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/campaigns?file=latin1.yaml"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    String line = json.readTree(r.body()).get("problems").get(0).asText();
    assertTrue(line.startsWith("latin1.yaml:2:3: error: byte 0xe9 is not UTF-8"), line);
  }

  @Test
  void oversizedBodiesGet413WithOrWithoutContentLength() throws Exception {
    String big = "campaign: x\n" + "# filler\n".repeat(1000);
    HttpResponse<String> r = post("/api/campaigns?file=big.yaml", big, TOKEN);
    assertEquals(413, r.statusCode());
    String line = json.readTree(r.body()).get("problems").get(0).asText();
    assertTrue(
        line.startsWith(
            "big.yaml:1:1: error: the file is "
                + big.length()
                + " bytes (expected at most 4096 bytes"),
        line);

    // Chunked: no Content-Length, so the limit must hold while reading.
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/campaigns?file=big.yaml"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, chunked.statusCode());
    String chunkedLine = json.readTree(chunked.body()).get("problems").get(0).asText();
    assertTrue(
        chunkedLine.startsWith("big.yaml:1:1: error: the file is larger than 4096 bytes"),
        chunkedLine);
    assertTrue(service.campaigns().isEmpty());
    assertEquals("silver", alice.submit("ok.yaml", CAMPAIGN).name());
  }

  @Test
  void approvalFlowShowsReasonsAndRecordsDecisions() {
    CampaignView c = alice.submit("manual.yaml", CAMPAIGN + "approval: manual\n");
    service.addExperiment(c.id(), Map.of("t", 1.2), 0);
    service.addExperiment(c.id(), Map.of("t", 1.9), 0);
    List<ApprovalView> waiting = alice.approvals(c.id());
    assertEquals(List.of(1, 2), waiting.stream().map(ApprovalView::seq).toList());
    assertEquals("uniform draw", waiting.get(0).reason());
    assertEquals("random", waiting.get(0).planner());

    alice.approve(c.id(), 1);
    alice.reject(c.id(), 2, "too hot for the new vials");
    assertTrue(alice.approvals(c.id()).isEmpty());
    List<ExperimentView> experiments = alice.experiments(c.id());
    assertEquals(
        List.of("PLANNED", "REJECTED"), experiments.stream().map(ExperimentView::status).toList());
    assertEquals("too hot for the new vials", experiments.get(1).cause());
    List<String> audit = service.audit.stream().map(EventView::message).toList();
    assertTrue(audit.contains("alice approved experiment 1"), audit::toString);
    assertTrue(
        audit.contains("alice rejected experiment 2: too hot for the new vials"), audit::toString);

    ApiProblem again = assertThrows(ApiProblem.class, () -> alice.approve(c.id(), 2));
    assertEquals(404, again.status());
  }

  @Test
  void aHeldExperimentIsReleasedWithATokenAndBadRequestsAreProblemJson() throws Exception {
    CampaignView c = alice.submit("silver.yaml", CAMPAIGN);
    int held = service.addHeld(c.id(), Map.of("t", 1.5));
    String route = "/api/campaigns/" + c.id() + "/experiments/" + held + "/release";
    assertEquals(
        401,
        post(route, "{\"action\": \"retry\"}", null).statusCode(),
        "a release is a change: it needs a token");
    for (String bad :
        List.of(
            "{not json",
            "[]",
            "{}",
            "{\"action\": \"discard\"}",
            "{\"action\": \"measured\"}",
            "{\"action\": \"measured\", \"values\": {\"y\": \"high\"}}",
            "{\"action\": \"fail\", \"values\": {\"y\": 1}}")) {
      HttpResponse<String> r = post(route, bad, TOKEN);
      assertEquals(400, r.statusCode(), bad + " -> " + r.body());
      assertEquals(
          "application/problem+json",
          r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
      assertFalse(json.readTree(r.body()).get("detail").asText().isBlank());
    }
    assertEquals(1, alice.campaign(c.id()).experimentsHeld());

    ExperimentView after =
        alice.release(c.id(), held, "measured", "read by hand", Map.of("y", 0.3));
    assertEquals("DONE", after.status());
    assertEquals(0.3, after.objectives().get("y"));
    assertEquals(0, alice.campaign(c.id()).experimentsHeld());
    assertTrue(
        service
            .audit
            .get(service.audit.size() - 1)
            .message()
            .equals("alice released experiment " + held + ": measured"));
    ApiProblem again =
        assertThrows(ApiProblem.class, () -> alice.release(c.id(), held, "retry", null, Map.of()));
    assertEquals(409, again.status());
  }

  @Test
  void wrongStateIs409AndUnknownThingsAre404ProblemJson() throws Exception {
    CampaignView c = alice.submit("silver.yaml", CAMPAIGN);
    assertEquals(409, assertThrows(ApiProblem.class, () -> alice.resume(c.id())).status());
    assertEquals(
        "no campaign 'nope'",
        assertThrows(ApiProblem.class, () -> alice.campaign("nope")).detail());
    HttpResponse<String> r = get("/api/no-such-route", null);
    assertEquals(404, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertEquals(
        400, post("/api/campaigns/" + c.id() + "/approvals/zero/approve", "", TOKEN).statusCode());
    assertEquals(
        400,
        post("/api/campaigns/" + c.id() + "/approvals/1/reject", "{not json", TOKEN).statusCode());
    assertEquals(400, get("/api/campaigns/" + c.id() + "/export?format=xlsx", null).statusCode());
  }

  @Test
  void anEngineFailureIs500AndTheServerGoesOn() throws Exception {
    server.close();
    CampaignService broken =
        new FakeCampaignService() {
          @Override
          public List<InstrumentView> instruments() {
            throw new IllegalStateException("driver table corrupted");
          }
        };
    server =
        ApiServer.builder()
            .settings(new ApiServer.Settings("127.0.0.1", 0, Optional.empty(), 4096, "test"))
            .campaigns(broken)
            .tokens(Tokens.builder().token("alice", TOKEN).build())
            .build()
            .start();
    base = URI.create("http://127.0.0.1:" + server.port());
    HttpResponse<String> r = get("/api/instruments", null);
    assertEquals(500, r.statusCode());
    assertFalse(r.body().contains("corrupted"), "internal details stay in the log");
    assertTrue(r.body().contains("Internal error"));
    assertEquals(200, get("/api/health", null).statusCode());
  }

  @Test
  void agentsAreListedWithTheirStateAndInstruments() throws Exception {
    HttpResponse<String> r = get("/api/agents", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("\"name\":\"spectro-pc\""), r.body());
    assertTrue(r.body().contains("\"online\":false"), r.body());
    assertTrue(r.body().contains("\"instruments\":[\"spectrometer\"]"), r.body());
    assertTrue(get("/api/instruments", null).body().contains("\"agent\":\"spectro-pc\""));
  }

  @Test
  void instrumentsShowStatusAndLastError() {
    InstrumentView spectrometer =
        alice.instruments().stream()
            .filter(i -> i.name().equals("spectrometer"))
            .findFirst()
            .orElseThrow();
    assertEquals("ERROR", spectrometer.status());
    assertEquals("MEAS timed out after 30s", spectrometer.lastError());
  }

  @Test
  void eventStreamPushesProgressFilteredByCampaign() throws Exception {
    CampaignView c = alice.submit("silver.yaml", CAMPAIGN);
    CampaignView other = alice.submit("other.yaml", "campaign: other\n");
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> resp =
        http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/api/events?campaign=" + c.id()))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get();
    assertTrue(
        resp.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
        resp.headers()::toString);
    Thread reader = new Thread(() -> resp.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> lines.stream().anyMatch(l -> l.startsWith(":")));

    service.addExperiment(other.id(), Map.of("t", 1.0), 1);
    service.addExperiment(c.id(), Map.of("t", 1.0), 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("event: EXPERIMENT_DONE"));
    String data = lines.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
    assertEquals(c.id(), json.readTree(data.substring(6)).get("campaignId").asText());
    assertTrue(lines.stream().noneMatch(l -> l.contains(other.id())), lines::toString);
  }

  @Test
  void openApiDescribesEveryRoute() throws Exception {
    JsonNode doc = json.readTree(get("/openapi.json", null).body());
    assertTrue(doc.get("openapi").asText().startsWith("3."));
    for (ApiServer.Route route : server.routes()) {
      JsonNode path = doc.get("paths").get(route.path());
      assertNotNull(path, "openapi.json documents " + route.path());
      assertNotNull(
          path.get(route.method().name().toLowerCase(Locale.ROOT)),
          "openapi.json documents " + route.method() + " " + route.path());
    }
  }

  @Test
  void metricsAreServedAsPrometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics", null);
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertEquals("labloop_up 1\n", r.body());
  }

  @Test
  void fileNamesFromClientsAreReducedToASafeLastSegment() {
    assertEquals("passwd", RequestArguments.fileName("../../etc/passwd"));
    assertEquals("my_run.yaml", RequestArguments.fileName("C:\\lab\\my run.yaml"));
    assertEquals("campaign.yaml", RequestArguments.fileName(".."));
    assertEquals("campaign.yaml", RequestArguments.fileName(null));
  }

  @Test
  void onlyLoopbackAddressesCountAsLocal() {
    assertTrue(RequestGate.isLoopback("127.0.0.1"));
    assertTrue(RequestGate.isLoopback("127.8.9.10"));
    assertTrue(RequestGate.isLoopback("::1"));
    assertFalse(RequestGate.isLoopback("192.168.1.20"));
    assertFalse(RequestGate.isLoopback("10.0.0.7"));
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
