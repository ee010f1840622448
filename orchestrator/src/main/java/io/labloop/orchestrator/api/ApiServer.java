package io.labloop.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP API (Javalin on Jetty).
 *
 * <p>Every request passes one gate before its route: a change (anything but GET/HEAD) needs a known
 * bearer token; a read needs one unless it comes from the loopback interface. The token's name
 * becomes the {@link Actor} handed to the engine for the audit trail. Then, for every route, the
 * body is read by {@link RequestBody}: its media type checked (415), read through a counting limit
 * (not only the Content-Length header, which a chunked upload does not send), so an oversized
 * upload is refused with 413 without being buffered. Every failure, expected or not, leaves as RFC
 * 9457 problem JSON; an unexpected exception is logged and answered with 500, and the server goes
 * on serving.
 *
 * <p>The gate is {@link RequestGate}; the JSON arguments of the routes that change something are
 * read by {@link RequestArguments}; the event stream is {@link EventStream}.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** Largest request line plus headers. */
  static final int MAX_HEADER_BYTES = 8 * 1024;

  /** One route: what the OpenAPI description must cover. */
  public record Route(HandlerType method, String path, String summary) {}

  private final Settings settings;
  private final CampaignService campaigns;
  private final LabReload reload;
  private final Supplier<Tokens> tokens;
  private final Supplier<String> metrics;
  private final MeterRegistry registry;
  private final ApiExtension extension;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Route> routes = new ArrayList<>();
  private final RequestArguments args = new RequestArguments(json);
  private final RequestGate gate;
  private EventStream events;
  private Javalin app;

  /**
   * Where and how the API listens.
   *
   * @param bind the address to bind (127.0.0.1 unless configured)
   * @param port the port; 0 picks a free one
   * @param tls HTTPS with this keystore; plain HTTP when empty
   * @param maxBodyBytes the largest request body accepted
   * @param version reported by {@code /api/health}
   */
  public record Settings(
      String bind, int port, Optional<TlsSettings> tls, long maxBodyBytes, String version) {
    public Settings {
      Objects.requireNonNull(bind, "bind");
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port must be 0-65535, not " + port);
      if (maxBodyBytes < 1024)
        throw new IllegalArgumentException("max body must be at least 1 KiB");
    }

    public static Settings loopback(int port) {
      return new Settings("127.0.0.1", port, Optional.empty(), 1 << 20, "dev");
    }
  }

  private ApiServer(Builder b) {
    this.settings = Objects.requireNonNull(b.settings, "settings");
    this.campaigns = Objects.requireNonNull(b.campaigns, "campaigns");
    this.reload = Objects.requireNonNull(b.reload, "reload");
    this.tokens = Objects.requireNonNull(b.tokens, "tokens");
    this.metrics = b.metrics;
    this.registry = b.registry;
    this.extension = b.extension;
    this.gate = new RequestGate(tokens, extension, settings.maxBodyBytes());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts listening; returns once the port is bound. */
  public synchronized ApiServer start() {
    if (app != null) throw new IllegalStateException("already started");
    events = new EventStream(campaigns, json);
    app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.jsonMapper(new JavalinJackson(json, false));
              cfg.http.maxRequestSize = settings.maxBodyBytes();
              // Request line and headers together at most 8 KiB (Jetty's default, stated so it
              // stays): a
              // longer URI gets 414 and longer headers 431, answered as problem JSON by
              // ProblemErrorHandler,
              // which also answers what Jetty refuses before routing (a NUL in the path: 400).
              cfg.jetty.modifyHttpConfiguration(
                  http -> http.setRequestHeaderSize(MAX_HEADER_BYTES));
              cfg.jetty.modifyServer(
                  server -> server.setErrorHandler(new ProblemErrorHandler(json)));
              cfg.jetty.host = settings.bind();
              cfg.jetty.port = settings.port();
              settings
                  .tls()
                  .ifPresent(
                      tls ->
                          cfg.jetty.addConnector(
                              (server, httpConfig) -> {
                                SslContextFactory.Server ssl = new SslContextFactory.Server();
                                ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
                                ssl.setKeyStorePassword(tls.password());
                                HttpConfiguration https = new HttpConfiguration(httpConfig);
                                SecureRequestCustomizer secure = new SecureRequestCustomizer();
                                secure.setSniHostCheck(
                                    false); // clients reach an instrument PC by IP as often as by
                                // name
                                https.addCustomizer(secure);
                                ServerConnector c =
                                    new ServerConnector(
                                        server,
                                        new SslConnectionFactory(ssl, "http/1.1"),
                                        new HttpConnectionFactory(https));
                                c.setHost(settings.bind());
                                c.setPort(settings.port());
                                return c;
                              }));
              cfg.routes.before(gate::check);
              if (registry != null) {
                cfg.requestLogger.http(
                    (ctx, ms) ->
                        Timer.builder("labloop_api_request")
                            .description("API request handling time")
                            .tag("method", ctx.method().name())
                            .tag(
                                "route", ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path)
                            .tag("status", Integer.toString(ctx.statusCode()))
                            .register(registry)
                            .record(Duration.ofNanos((long) (ms * 1_000_000))));
              }
              defineRoutes(cfg.routes);
              if (extension != null) extension.routes(cfg.routes);
              cfg.routes.exception(
                  ApiProblem.class, (e, ctx) -> ProblemResponse.write(ctx, json, e));
              cfg.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) ->
                      ProblemResponse.write(
                          ctx, json, ProblemResponse.fromStatus(e.getStatus(), e.getMessage())));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("request {} {} failed", ctx.method(), ctx.path(), e);
                    ProblemResponse.write(
                        ctx,
                        json,
                        new ApiProblem(
                            500,
                            "internal",
                            "Internal error",
                            "the daemon could not answer this request; details are in its log",
                            List.of()));
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith(ProblemResponse.MEDIA_TYPE)) {
                      ProblemResponse.write(
                          ctx,
                          json,
                          ApiProblem.notFound("no route " + ctx.method() + " " + ctx.path()));
                    }
                  });
            });
    if (settings.tls().isPresent()) {
      // Our HTTPS connector replaces the plain one Javalin would otherwise open.
      app.unsafe.jetty.port = -1;
    }
    app.start();
    log.info(
        "API listening on {}://{}:{}",
        settings.tls().isPresent() ? "https" : "http",
        settings.bind(),
        port());
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    for (var c : app.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc && sc.getLocalPort() > 0) return sc.getLocalPort();
    }
    return app.port();
  }

  /** Every route the API serves, for the OpenAPI check and the docs. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  @Override
  public synchronized void close() {
    if (app == null) return;
    events.close();
    if (extension != null) extension.close();
    app.stop();
    app = null;
  }

  // ---------------------------------------------------------------------------------------
  // routes

  private void defineRoutes(io.javalin.config.RoutesConfig r) {
    add(
        r,
        HandlerType.GET,
        "/api/health",
        "Is the daemon up",
        ctx -> ctx.json(Map.of("status", "ok", "version", settings.version())));
    add(
        r,
        HandlerType.GET,
        "/api/campaigns",
        "List campaigns",
        ctx -> ctx.json(campaigns.campaigns()));
    add(r, HandlerType.POST, "/api/campaigns", "Submit a campaign (YAML body)", this::submit);
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}",
        "Inspect a campaign",
        ctx -> ctx.json(campaigns.campaign(ctx.pathParam("id"))));
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}/experiments",
        "A campaign's experiments",
        ctx -> ctx.json(campaigns.experiments(ctx.pathParam("id"))));
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}/observations",
        "What the planner learned",
        ctx -> ctx.json(campaigns.observations(ctx.pathParam("id"))));
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}/events",
        "A campaign's events and audit trail",
        ctx -> ctx.json(campaigns.events(ctx.pathParam("id"))));
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}/export",
        "Export as CSV or JSONL",
        ctx -> {
          ExportFormat f = ExportFormat.parse(ctx.queryParam("format"));
          // The export first: an unknown run must leave as a problem, not as a CSV-typed 404.
          String data = campaigns.export(ctx.pathParam("id"), f);
          ctx.contentType(f.mediaType() + "; charset=utf-8").result(data);
        });
    add(
        r,
        HandlerType.GET,
        "/api/campaigns/{id}/approvals",
        "Suggestions waiting for approval",
        ctx -> ctx.json(campaigns.approvals(ctx.pathParam("id"))));
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/approvals/{seq}/approve",
        "Approve a suggestion",
        ctx -> {
          args.noArguments(ctx);
          campaigns.approve(ctx.pathParam("id"), RequestArguments.seq(ctx), RequestGate.actor(ctx));
          ctx.status(204);
        });
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/approvals/{seq}/reject",
        "Reject a suggestion",
        ctx -> {
          campaigns.reject(
              ctx.pathParam("id"),
              RequestArguments.seq(ctx),
              args.rejectReason(ctx),
              RequestGate.actor(ctx));
          ctx.status(204);
        });
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/suggestions",
        "Run a researcher's own conditions next (marked human-chosen)",
        ctx ->
            ctx.status(201)
                .json(
                    campaigns.suggest(
                        ctx.pathParam("id"), args.suggestedPoint(ctx), RequestGate.actor(ctx))));
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/experiments/{seq}/release",
        "Release a held experiment: retry, fail or measured",
        ctx ->
            ctx.json(
                campaigns.release(
                    ctx.pathParam("id"),
                    RequestArguments.seq(ctx),
                    args.releaseRequest(ctx),
                    RequestGate.actor(ctx))));
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/pause",
        "Pause: finish running steps, start none",
        ctx -> {
          args.noArguments(ctx);
          ctx.json(campaigns.pause(ctx.pathParam("id"), RequestGate.actor(ctx)));
        });
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/resume",
        "Resume a paused campaign",
        ctx -> {
          args.noArguments(ctx);
          ctx.json(campaigns.resume(ctx.pathParam("id"), RequestGate.actor(ctx)));
        });
    add(
        r,
        HandlerType.POST,
        "/api/campaigns/{id}/abort",
        "Abort, sending each instrument its abort command",
        ctx -> {
          args.noArguments(ctx);
          ctx.json(campaigns.abort(ctx.pathParam("id"), RequestGate.actor(ctx)));
        });
    add(
        r,
        HandlerType.POST,
        "/api/emergency-stop",
        "Abort every running campaign",
        ctx -> {
          args.noArguments(ctx);
          campaigns.emergencyStop(RequestGate.actor(ctx));
          ctx.status(204);
        });
    add(
        r,
        HandlerType.GET,
        "/api/instruments",
        "Instrument status",
        ctx -> ctx.json(campaigns.instruments()));
    add(
        r,
        HandlerType.GET,
        "/api/instruments/{name}",
        "One instrument: state, lease holders, last command, health probes, alerts",
        ctx -> ctx.json(campaigns.instrument(ctx.pathParam("name"))));
    add(
        r,
        HandlerType.GET,
        "/api/agents",
        "Instrument agents: online, last heartbeat, instruments",
        ctx -> ctx.json(campaigns.agents()));
    add(
        r,
        HandlerType.POST,
        "/api/reload",
        "Re-read the lab file",
        ctx -> {
          args.noArguments(ctx);
          ReloadResult result = reload.reload(RequestGate.actor(ctx));
          ctx.status(result.applied() ? 200 : 400).json(result);
        });
    routes.add(
        new Route(HandlerType.GET, "/api/events", "Server-sent events: progress, alerts, audit"));
    r.sse("/api/events", client -> events.join(client));
    add(
        r,
        HandlerType.GET,
        "/openapi.json",
        "This description",
        ctx -> {
          try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            ctx.contentType("application/json")
                .result(Objects.requireNonNull(in, "openapi.json resource").readAllBytes());
          }
        });
    if (metrics != null) {
      add(
          r,
          HandlerType.GET,
          "/metrics",
          "Prometheus metrics",
          ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get()));
    }
  }

  private void add(
      io.javalin.config.RoutesConfig r,
      HandlerType method,
      String path,
      String summary,
      Handler h) {
    routes.add(new Route(method, path, summary));
    r.addHttpHandler(method, path, h);
  }

  private void submit(Context ctx) {
    String fileName = RequestArguments.fileName(ctx.queryParam("file"));
    String yaml = body(ctx);
    CampaignView created = campaigns.submit(fileName, yaml, RequestGate.actor(ctx));
    ctx.status(201).header("Location", "/api/campaigns/" + created.id()).json(created);
  }

  /**
   * The request's body as the gate read it, checked for size, media type and UTF-8. Routes (also an
   * {@link ApiExtension}'s) use this, never {@code ctx.body()}: the gate has already consumed the
   * stream.
   */
  public static String body(Context ctx) {
    return RequestGate.body(ctx);
  }

  /** Assembles an {@link ApiServer}. */
  public static final class Builder {
    private Settings settings = Settings.loopback(8080);
    private CampaignService campaigns;
    private LabReload reload =
        who ->
            new ReloadResult(
                false, "", List.of(), List.of("this daemon has no lab file to reload"));
    private Supplier<Tokens> tokens;
    private Supplier<String> metrics;
    private MeterRegistry registry;
    private ApiExtension extension;

    private Builder() {}

    /** More routes and browser sessions on the same port (the web console). */
    public Builder extension(ApiExtension e) {
      this.extension = e;
      return this;
    }

    public Builder settings(Settings s) {
      this.settings = s;
      return this;
    }

    public Builder campaigns(CampaignService s) {
      this.campaigns = s;
      return this;
    }

    public Builder reload(LabReload r) {
      this.reload = r;
      return this;
    }

    public Builder tokens(Tokens t) {
      Objects.requireNonNull(t, "tokens");
      this.tokens = () -> t;
      return this;
    }

    /** Tokens asked for at every request, so that a rotated token file takes effect at once. */
    public Builder tokens(Supplier<Tokens> t) {
      this.tokens = t;
      return this;
    }

    /** Serves {@code /metrics} with the Prometheus text this supplier gives. */
    public Builder metrics(Supplier<String> scrape) {
      this.metrics = scrape;
      return this;
    }

    /** Times every request into this registry ({@code labloop_api_request_seconds}). */
    public Builder registry(MeterRegistry r) {
      this.registry = r;
      return this;
    }

    public ApiServer build() {
      return new ApiServer(this);
    }
  }
}
