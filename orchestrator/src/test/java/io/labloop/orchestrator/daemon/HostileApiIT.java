package io.labloop.orchestrator.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14 against a real daemon in this JVM: what an attacker with a token or a careless user
 * sends is refused with the right status and an RFC 9457 problem, and the daemon serves on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileApiIT {
  private static final String PROBLEM = "application/problem+json";
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private Path labFile;
  private Daemon daemon;
  private LabLoopClient client;
  private String token;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("labloop-hostile-it");
    labFile = dir.resolve("lab.yaml");
    Files.writeString(labFile, DaemonIT.resource("lab.yaml"));
    DaemonConfig defaults = DaemonConfig.defaults(labFile, dir.resolve("data"));
    DaemonConfig config =
        new DaemonConfig(
            labFile,
            dir,
            dir.resolve("data"),
            true,
            "127.0.0.1",
            0,
            64 * 1024,
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Duration.ofSeconds(5),
            List.of(),
            defaults.zone(),
            Duration.ofSeconds(20));
    daemon = Daemon.start(config, Map.of(), "it");
    token = Files.readString(dir.resolve("data/token")).strip();
    client = new LabLoopClient(ClientSettings.resolve(null, null, dir.resolve("data"), Map.of()));
  }

  @AfterAll
  void stop() {
    if (daemon != null) daemon.close();
  }

  private static String campaign(String name) {
    return DaemonIT.resource("campaign.yaml")
        .replace("campaign: daemon-silver", "campaign: " + name);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(
        b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(daemon.url() + path))
        .header("Authorization", "Bearer " + token);
  }

  private JsonNode problem(HttpResponse<String> r, int status) throws IOException {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(
        PROBLEM, r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip(), r.body());
    JsonNode p = json.readTree(r.body());
    assertEquals(status, p.get("status").asInt(), r.body());
    return p;
  }

  private void assertStillServing() throws Exception {
    HttpResponse<String> r = send(request("/api/health").GET());
    assertEquals(200, r.statusCode(), r.body());
  }

  // defect 1: one rule for names, checked with a position, so 'a/b' and 'a_b' never share files
  @Test
  void aNameOutsideTheRuleIsRefusedWithItsPositionAndNoFileIsWritten() throws Exception {
    JsonNode p =
        problem(
            send(
                request("/api/campaigns?file=ab.yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(campaign("a/b")))),
            400);
    assertTrue(
        p.get("problems")
            .get(0)
            .asText()
            .startsWith("ab.yaml:1:11: error: the campaign name 'a/b' has a path separator"),
        p.toString());
    try (var files = Files.list(dir.resolve("data"))) {
      assertTrue(
          files.noneMatch(f -> f.getFileName().toString().startsWith("a_b")),
          "nothing is written for a refused name");
    }
    assertFalse(Files.exists(dir.resolve("data/locks/a_b.lock")));
  }

  // defect 2: expressions are bounded, so a submit answers at once
  @Test
  void aHugeFactorialOrAFiftyThousandTermConstraintIsA400AtOnce() throws Exception {
    String fact =
        campaign("daemon-fact")
            .replace("workflow:", "constraints:\n  - \"FACT(999999999) > 0\"\nworkflow:");
    JsonNode p =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                problem(
                    send(
                        request("/api/campaigns?file=fact.yaml")
                            .POST(HttpRequest.BodyPublishers.ofString(fact))),
                    400));
    assertTrue(
        p.get("problems").get(0).asText().matches("fact\\.yaml:\\d+:5: error: .*FACT.*"),
        p.toString());
    String terms =
        campaign("daemon-terms")
            .replace(
                "workflow:",
                "constraints:\n  - \"temperature" + " + time".repeat(5_000) + " <= 1\"\nworkflow:");
    JsonNode q =
        problem(
            send(
                request("/api/campaigns?file=terms.yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(terms))),
            400);
    assertTrue(q.get("problems").get(0).asText().contains("characters"), q.toString());
    assertStillServing();
  }

  // defect 3: a lab file that blocks is refused and never holds the daemon's lock
  @Test
  void aFifoInPlaceOfTheLabFileIsRefusedAndLaterReloadsWork() throws Exception {
    Path saved = dir.resolve("lab.yaml.saved");
    Files.copy(labFile, saved, StandardCopyOption.REPLACE_EXISTING);
    try {
      Files.delete(labFile);
      assertEquals(0, new ProcessBuilder("mkfifo", labFile.toString()).start().waitFor());
      HttpResponse<String> r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () -> send(request("/api/reload").POST(HttpRequest.BodyPublishers.noBody())));
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains("not a regular file"), r.body());
    } finally {
      Files.deleteIfExists(labFile);
      Files.move(saved, labFile);
    }
    HttpResponse<String> again =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> send(request("/api/reload").POST(HttpRequest.BodyPublishers.noBody())));
    assertEquals(200, again.statusCode(), again.body());
  }

  // defect 4: deep nesting is a positioned 400, not a StackOverflowError and a 500
  @Test
  void tenThousandNestedListsAreAPositioned400() throws Exception {
    String deep = "campaign: x\nlab: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    JsonNode p =
        problem(
            send(
                request("/api/campaigns?file=deep.yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(deep))),
            400);
    assertTrue(
        p.get("problems")
            .get(0)
            .asText()
            .matches("deep\\.yaml:2:\\d+: error: lists and maps nested more than .*"),
        p.toString());
    assertStillServing();
  }

  // defect 5: every route has the body limit, also chunked, and checks the content type
  @Test
  void everyPostRouteRefusesAnOversizedBodyAlsoChunked() throws Exception {
    byte[] big = new byte[200 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    for (String path :
        List.of(
            "/api/campaigns/x~1/approvals/1/approve",
            "/api/campaigns/x~1/pause",
            "/api/campaigns/x~1/resume",
            "/api/reload",
            "/api/emergency-stop")) {
      problem(
          send(
              request(path)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(big))),
          413);
      // ofInputStream has no length: the client sends it chunked
      problem(
          send(
              request(path)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(big)))),
          413);
    }
    assertStillServing();
  }

  // defect 5
  @Test
  void approveRefusesABodyThatIsNotJsonAndEveryRouteChecksTheContentType() throws Exception {
    CampaignView c =
        client.submit(
            "manual.yaml",
            DaemonIT.resource("manual.yaml").replace("daemon-approval", "daemon-hostile-approval"));
    try {
      String approve = "/api/campaigns/" + c.id() + "/approvals/1/approve";
      JsonNode notJson =
          problem(
              send(
                  request(approve)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("approve it, please"))),
              400);
      assertTrue(notJson.get("detail").asText().contains("JSON"), notJson.toString());
      JsonNode plain =
          problem(
              send(
                  request(approve)
                      .header("Content-Type", "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))),
              415);
      assertTrue(plain.get("detail").asText().contains("application/json"), plain.toString());
      problem(
          send(
              request("/api/campaigns?file=x.yaml")
                  .header("Content-Type", "image/png")
                  .POST(HttpRequest.BodyPublishers.ofString(campaign("daemon-png")))),
          415);
      problem(
          send(
              request("/api/reload")
                  .header("Content-Type", "application/xml")
                  .POST(HttpRequest.BodyPublishers.ofString("<x/>"))),
          415);
    } finally {
      client.abort(c.id());
    }
  }

  // defect 6: the CSV that README says to open in a spreadsheet carries no live formula
  @Test
  void theCsvExportEscapesFormulas() throws Exception {
    String yaml =
        campaign("daemon-formula")
            .replace(
                "values: [water, ethanol, ethylene-glycol]", "values: [\"=HYPERLINK(1)\", \"@x\"]");
    CampaignView c = client.submit("formula.yaml", yaml);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> client.campaign(c.id()).status().equals("DONE"));
    String csv = client.export(c.id(), "csv");
    assertFalse(csv.contains(",=") || csv.contains(",@"), csv);
    assertTrue(csv.contains(",'=HYPERLINK(1),") || csv.contains(",'@x,"), csv);
  }

  // defect 7: the right status, always as problem+json
  @Test
  void aFiveThousandCharacterNameIsA400SayingTheLimit() throws Exception {
    JsonNode p =
        problem(
            send(
                request("/api/campaigns?file=long.yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(campaign("x".repeat(5000))))),
            400);
    assertTrue(
        p.get("problems").get(0).asText().contains("5000 characters long (expected at most 64"),
        p.toString());
  }

  // defect 7
  @Test
  void aNulInANameIsA400() throws Exception {
    JsonNode p =
        problem(
            send(
                request("/api/campaigns?file=nul.yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(campaign("\"a\\0b\"")))),
            400);
    assertTrue(p.get("problems").get(0).asText().contains("U+0000"), p.toString());
  }

  // defect 7
  @Test
  void anUnknownIdOnExportIsA404NamingTheRun() throws Exception {
    JsonNode p = problem(send(request("/api/campaigns/no-such~7/export?format=csv").GET()), 404);
    assertTrue(p.get("detail").asText().contains("no-such~7"), p.toString());
    assertFalse(p.get("detail").asText().contains("no route"), p.toString());
  }

  // defect 7
  @Test
  void aNulOrAHundredKilobyteIdIsAProblemNotAnHtmlPage() throws Exception {
    JsonNode nul = json.readTree(send(request("/api/campaigns/a%00b").GET()).body());
    int status = nul.get("status").asInt();
    assertTrue(status == 400 || status == 404, nul.toString());
    HttpResponse<String> longId = send(request("/api/campaigns/" + "x".repeat(100_000)).GET());
    assertTrue(
        longId.statusCode() == 414 || longId.statusCode() == 431,
        longId.statusCode() + " " + longId.body());
    assertEquals(
        PROBLEM,
        longId.headers().firstValue("Content-Type").orElse("").split(";")[0].strip(),
        longId.body());
    assertFalse(longId.body().contains("<html"), longId.body());
    assertStillServing();
  }

  // defect 8: a rewritten token file takes effect at once
  @Test
  void aRotatedTokenFileWorksAtOnceAndTheOldTokenIsRefused() throws Exception {
    Path file = dir.resolve("data/token");
    String old = Files.readString(file).strip();
    String rotated =
        "rotated-" + Long.toHexString(System.nanoTime()) + "-0123456789abcdef0123456789";
    Path tmp = dir.resolve("data/token.new");
    Files.writeString(tmp, rotated + "\n");
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try {
      HttpRequest.Builder withOld =
          HttpRequest.newBuilder(URI.create(daemon.url() + "/api/emergency-stop"))
              .header("Authorization", "Bearer " + old)
              .POST(HttpRequest.BodyPublishers.noBody());
      problem(send(withOld), 401);
      HttpRequest.Builder withNew =
          HttpRequest.newBuilder(URI.create(daemon.url() + "/api/emergency-stop"))
              .header("Authorization", "Bearer " + rotated)
              .POST(HttpRequest.BodyPublishers.noBody());
      assertEquals(204, send(withNew).statusCode());
    } finally {
      Files.writeString(tmp, old + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    assertStillServing();
  }
}
