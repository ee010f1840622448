package io.labloop.orchestrator.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.orchestrator.api.AgentView;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.InstrumentView;
import io.labloop.orchestrator.api.ObservationView;
import io.labloop.orchestrator.api.ReloadResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client of the daemon's REST API. Refusals come back as {@link ApiProblem} (with the
 * file:line:column problems of a rejected campaign), a daemon that does not answer as {@link
 * DaemonUnreachable}. Thread-safe.
 */
public final class LabLoopClient {
  private final URI base;
  private final Optional<String> token;
  private final HttpClient http;
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public LabLoopClient(ClientSettings settings) {
    this(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  public LabLoopClient(ClientSettings settings, HttpClient http) {
    this.base = settings.url();
    this.token = settings.token();
    this.http = http;
  }

  public URI url() {
    return base;
  }

  public Map<String, Object> health() {
    return get("/api/health", new TypeReference<>() {});
  }

  public CampaignView submit(String fileName, String yaml) {
    HttpRequest.Builder r =
        request("/api/campaigns?file=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8))
            .header("Content-Type", "application/yaml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8));
    return parse(send(r), CampaignView.class);
  }

  public List<CampaignView> campaigns() {
    return get("/api/campaigns", new TypeReference<>() {});
  }

  public CampaignView campaign(String id) {
    return get("/api/campaigns/" + seg(id), new TypeReference<>() {});
  }

  /**
   * The run a person means: an exact id, else the newest run of the campaign with that name.
   *
   * @throws ApiProblem 404 when neither matches
   */
  public CampaignView find(String idOrName) {
    List<CampaignView> all = campaigns();
    for (CampaignView c : all) {
      if (c.id().equals(idOrName)) return c;
    }
    return all.stream()
        .filter(c -> c.name().equals(idOrName))
        .max(Comparator.comparing(c -> c.submittedAt() == null ? "" : c.submittedAt()))
        .orElseThrow(
            () ->
                new ApiProblem(
                    404,
                    "not-found",
                    "Not found",
                    "the daemon has no campaign with id or name '" + idOrName + "'",
                    List.of()));
  }

  public List<ExperimentView> experiments(String id) {
    return get("/api/campaigns/" + seg(id) + "/experiments", new TypeReference<>() {});
  }

  public List<ObservationView> observations(String id) {
    return get("/api/campaigns/" + seg(id) + "/observations", new TypeReference<>() {});
  }

  public List<EventView> events(String id) {
    return get("/api/campaigns/" + seg(id) + "/events", new TypeReference<>() {});
  }

  public List<ApprovalView> approvals(String id) {
    return get("/api/campaigns/" + seg(id) + "/approvals", new TypeReference<>() {});
  }

  public String export(String id, String format) {
    return send(request("/api/campaigns/" + seg(id) + "/export?format=" + seg(format)).GET());
  }

  public List<InstrumentView> instruments() {
    return get("/api/instruments", new TypeReference<>() {});
  }

  /** The lab's instrument agents (empty when every instrument is on the daemon's PC). */
  public List<AgentView> agents() {
    return get("/api/agents", new TypeReference<>() {});
  }

  public CampaignView pause(String id) {
    return parse(post("/api/campaigns/" + seg(id) + "/pause", ""), CampaignView.class);
  }

  public CampaignView resume(String id) {
    return parse(post("/api/campaigns/" + seg(id) + "/resume", ""), CampaignView.class);
  }

  public CampaignView abort(String id) {
    return parse(post("/api/campaigns/" + seg(id) + "/abort", ""), CampaignView.class);
  }

  public void emergencyStop() {
    post("/api/emergency-stop", "");
  }

  /** Plans a researcher's own conditions as the next experiment; returns it. */
  public ExperimentView suggest(String id, Map<String, Object> point) {
    String body;
    try {
      body = json.writeValueAsString(Map.of("point", point));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return parse(post("/api/campaigns/" + seg(id) + "/suggestions", body), ExperimentView.class);
  }

  public void approve(String id, int seq) {
    post("/api/campaigns/" + seg(id) + "/approvals/" + seq + "/approve", "");
  }

  public void reject(String id, int seq, String reason) {
    String body;
    try {
      body = json.writeValueAsString(Map.of("reason", reason));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    post("/api/campaigns/" + seg(id) + "/approvals/" + seq + "/reject", body);
  }

  /**
   * Releases an experiment held after an interruption.
   *
   * @param action retry, fail or measured
   * @param values for measured: one value per objective
   * @return the experiment afterwards; for a retry, the new experiment
   */
  public ExperimentView release(
      String id, int seq, String action, String reason, Map<String, Double> values) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("action", action);
    if (reason != null && !reason.isBlank()) body.put("reason", reason);
    if (!values.isEmpty()) body.put("values", values);
    try {
      return parse(
          post(
              "/api/campaigns/" + seg(id) + "/experiments/" + seq + "/release",
              json.writeValueAsString(body)),
          ExperimentView.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Re-reads the lab file; a rejected file comes back with {@code applied=false} and its problems.
   */
  public ReloadResult reload() {
    HttpResponse<String> resp =
        exchange(request("/api/reload").POST(HttpRequest.BodyPublishers.noBody()));
    if (resp.statusCode() == 200 || (resp.statusCode() == 400 && !isProblem(resp))) {
      return parse(resp.body(), ReloadResult.class);
    }
    throw problem(resp);
  }

  // ---------------------------------------------------------------------------------------

  private <T> T get(String path, TypeReference<T> type) {
    String body = send(request(path).GET());
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new ApiProblem(
          502,
          "bad-answer",
          "Bad answer",
          "the daemon's answer to " + path + " is not the JSON expected: " + e.getMessage(),
          List.of());
    }
  }

  private String post(String path, String body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  private <T> T parse(String body, Class<T> type) {
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new ApiProblem(
          502,
          "bad-answer",
          "Bad answer",
          "the daemon's answer is not the JSON expected: " + e.getMessage(),
          List.of());
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private String send(HttpRequest.Builder r) {
    HttpResponse<String> resp = exchange(r);
    if (resp.statusCode() / 100 == 2) return resp.body();
    throw problem(resp);
  }

  private HttpResponse<String> exchange(HttpRequest.Builder r) {
    try {
      return http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new DaemonUnreachable(
          "no daemon answers at " + base + " (start one with 'labloop daemon', or give --url)", e);
    } catch (IOException e) {
      throw new DaemonUnreachable(
          "lost the connection to the daemon at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaemonUnreachable("interrupted while waiting for the daemon", e);
    }
  }

  private static boolean isProblem(HttpResponse<String> resp) {
    return resp.headers()
        .firstValue("Content-Type")
        .orElse("")
        .startsWith("application/problem+json");
  }

  private ApiProblem problem(HttpResponse<String> resp) {
    try {
      JsonNode n = json.readTree(resp.body());
      List<String> problems = new ArrayList<>();
      if (n.has("problems")) n.get("problems").forEach(p -> problems.add(p.asText()));
      String type = n.path("type").asText("").replaceFirst("^urn:labloop:problem:", "");
      return new ApiProblem(
          resp.statusCode(),
          type,
          n.path("title").asText("HTTP " + resp.statusCode()),
          n.path("detail").asText(""),
          problems);
    } catch (IOException | RuntimeException e) {
      return new ApiProblem(
          resp.statusCode(),
          "",
          "HTTP " + resp.statusCode(),
          "the daemon answered " + resp.statusCode() + " without a problem description",
          List.of());
    }
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
