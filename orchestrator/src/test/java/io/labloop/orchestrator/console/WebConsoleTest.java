package io.labloop.orchestrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.ApiServer;
import io.labloop.orchestrator.api.FakeCampaignService;
import io.labloop.orchestrator.api.Tokens;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's routes and browser sign-in on a real API server over loopback (engine faked). */
class WebConsoleTest {
  private static final String TOKEN = "s3cret-token-for-alice";
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final FakeCampaignService service = new FakeCampaignService();
  private Store store;
  private ApiServer server;
  private URI base;
  private String id;

  @BeforeEach
  void start() {
    store = Store.open(StoreLocation.sqlite(dir.resolve("data")));
    Tokens tokens = Tokens.builder().token("alice", TOKEN).build();
    server =
        ApiServer.builder()
            .settings(new ApiServer.Settings("127.0.0.1", 0, Optional.empty(), 64 * 1024, "test"))
            .campaigns(service)
            .tokens(tokens)
            .extension(new WebConsole(service, store, tokens::authenticate, dir))
            .build()
            .start();
    base = URI.create("http://127.0.0.1:" + server.port());
    id =
        service
            .submit("c.yaml", "campaign: silver\n", new io.labloop.orchestrator.api.Actor("setup"))
            .id();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void thePageAndTheChartLibraryComeFromTheDaemonWithAStrictContentPolicy() throws Exception {
    HttpResponse<String> page = send("GET", "/", null, null, null);
    assertEquals(200, page.statusCode());
    assertTrue(
        page.body().contains("/webjars/echarts/5.3.1/dist/echarts.min.js"),
        "the chart library from the jar");
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElseThrow()
            .contains("script-src 'self'"));
    HttpResponse<String> lib =
        send("GET", "/webjars/echarts/5.3.1/dist/echarts.min.js", null, null, null);
    assertEquals(200, lib.statusCode());
    assertTrue(lib.body().length() > 500_000, "the whole library");
    int escape = send("GET", "/webjars/../../etc/passwd", null, null, null).statusCode();
    assertTrue(escape == 400 || escape == 404, "no file outside the WebJars: " + escape);
    assertEquals(
        404,
        send("GET", "/webjars/echarts/5.3.1/package.json.missing", null, null, null).statusCode());
  }

  @Test
  void aChangeNeedsASessionAndItsCsrfHeader() throws Exception {
    assertEquals(
        401,
        send("POST", "/api/campaigns/" + id + "/pause", null, null, null).statusCode(),
        "not signed in");

    HttpResponse<String> wrong =
        send("POST", "/console/api/session", "{\"token\":\"guess\"}", null, null);
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body().contains("not known to this daemon"), wrong.body());

    HttpResponse<String> in =
        send("POST", "/console/api/session", "{\"token\":\"" + TOKEN + "\"}", null, null);
    assertEquals(200, in.statusCode());
    String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    JsonNode session = json.readTree(in.body());
    assertEquals("alice", session.get("name").asText());
    String csrf = session.get("csrf").asText();
    assertTrue(
        !in.body().contains(cookie.substring(cookie.indexOf('=') + 1)),
        "the session id never reaches page scripts");

    assertEquals(
        403,
        send("POST", "/api/campaigns/" + id + "/pause", null, cookie, null).statusCode(),
        "cookie without CSRF header");
    assertEquals(
        403,
        send("POST", "/api/campaigns/" + id + "/pause", null, cookie, "forged").statusCode(),
        "wrong CSRF header");
    assertEquals(
        200, send("POST", "/api/campaigns/" + id + "/pause", null, cookie, csrf).statusCode());
    assertTrue(
        service.audit.stream()
            .anyMatch(e -> e.message().startsWith("alice") && e.message().contains("paused")),
        "the audit trail names the token: " + service.audit);

    assertEquals(
        204, send("POST", "/console/api/session/sign-out", null, cookie, csrf).statusCode());
    assertEquals(
        401,
        send("POST", "/api/campaigns/" + id + "/resume", null, cookie, csrf).statusCode(),
        "signed out");
  }

  @Test
  void wrongTokensAreRateLimited() throws Exception {
    for (int i = 0; i < ConsoleSessions.MAX_FAILURES; i++) {
      assertEquals(
          401,
          send("POST", "/console/api/session", "{\"token\":\"guess-" + i + "\"}", null, null)
              .statusCode());
    }
    HttpResponse<String> limited =
        send("POST", "/console/api/session", "{\"token\":\"" + TOKEN + "\"}", null, null);
    assertEquals(429, limited.statusCode());
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
    assertTrue(limited.body().contains("try again in"), limited.body());
  }

  private HttpResponse<String> send(
      String method, String path, String body, String cookie, String csrf) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    if (cookie != null) b.header("Cookie", cookie);
    if (csrf != null) b.header(ConsoleSessions.CSRF_HEADER, csrf);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
