package io.labloop.orchestrator.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.labloop.common.FileNames;
import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiExtension;
import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.CampaignService;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.store.AttachmentRecord;
import io.labloop.orchestrator.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab console on the API's port: the page at {@code /}, its script and style, the chart library
 * from its WebJar, browser sign-in, and the reads the page needs beyond the JSON API.
 *
 * <p>The page, its assets and signing in are open to anyone who can reach the port (there is
 * nothing in them); every read of data passes the API's gate as usual (loopback, a bearer token, or
 * a signed-in session), and every change needs a token or a session with its CSRF header. The
 * console subscribes to the campaign events to know when its cached snapshots are stale, and keeps
 * the last lab-wide events (instrument alerts, health, reloads), which no campaign's store holds,
 * for the instruments page.
 */
public final class WebConsole implements ApiExtension {
  private static final Logger log = LoggerFactory.getLogger(WebConsole.class);
  private static final String RESOURCES = "/io/labloop/orchestrator/console/";
  private static final Pattern CAMPAIGN_FILE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}\\.ya?ml");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern WEBJAR_PATH = Pattern.compile("[A-Za-z0-9._/-]+");
  private static final int LAB_EVENTS_KEPT = 500;

  /** What the page may load: only itself (no inline script, no other origin). */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final CampaignService campaigns;
  private final Store store;
  private final ConsoleSessions sessions;
  private final Function<String, Optional<Actor>> tokens;
  private final Path campaignDir;
  private final CampaignData data;
  private final ObjectMapper json = new ObjectMapper();
  private final Deque<EventView> labEvents = new ArrayDeque<>();
  private CampaignService.Subscription subscription;

  /**
   * @param tokens who a bearer token belongs to
   * @param campaignDir the daemon's campaign folder (the files the page offers to start)
   */
  public WebConsole(
      CampaignService campaigns,
      Store store,
      Function<String, Optional<Actor>> tokens,
      Path campaignDir) {
    this.campaigns = campaigns;
    this.store = store;
    this.tokens = tokens;
    this.campaignDir = campaignDir;
    this.sessions = new ConsoleSessions(tokens);
    this.data = new CampaignData(store);
  }

  @Override
  public void routes(RoutesConfig r) {
    subscription = campaigns.subscribe(this::onEvent);
    r.addHttpHandler(
        HandlerType.GET, "/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
    r.addHttpHandler(
        HandlerType.GET,
        "/console/assets/{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          switch (file) {
            case "console.js" -> page(ctx, file, "text/javascript; charset=utf-8");
            case "console.css" -> page(ctx, file, "text/css; charset=utf-8");
            case "favicon.svg" -> page(ctx, file, "image/svg+xml");
            default -> throw ApiProblem.notFound("no console file " + file);
          }
        });
    r.addHttpHandler(HandlerType.GET, "/webjars/<path>", this::webjar);

    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/session",
        ctx -> {
          Optional<ConsoleSessions.Session> s = session(ctx);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("signedIn", s.isPresent());
          out.put("name", s.map(x -> x.actor().name()).orElse(null));
          out.put("csrf", s.map(ConsoleSessions.Session::csrf).orElse(null));
          ctx.header("Cache-Control", "no-store").json(out);
        });
    r.addHttpHandler(HandlerType.POST, "/console/api/session", this::signIn);
    r.addHttpHandler(
        HandlerType.POST,
        "/console/api/session/sign-out",
        ctx -> {
          sessions.signOut(ctx.cookie(ConsoleSessions.COOKIE));
          ctx.removeCookie(ConsoleSessions.COOKIE, "/");
          ctx.status(204);
        });

    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/campaigns/{id}/summary",
        ctx -> {
          String id = ctx.pathParam("id");
          CampaignData.Snapshot s = data.snapshot(id);
          ctx.json(s.view(() -> campaigns.campaign(id, s.experiments)));
        });
    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/campaigns/{id}/series",
        ctx -> ctx.json(data.snapshot(ctx.pathParam("id")).series()));
    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/campaigns/{id}/experiments",
        ctx -> {
          CampaignData.Snapshot s = data.snapshot(ctx.pathParam("id"));
          ctx.json(
              s.page(
                  intParam(ctx, "offset", 0),
                  intParam(ctx, "limit", 50),
                  CampaignData.statuses(ctx.queryParam("status")),
                  ctx.queryParam("sort")));
        });
    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/campaigns/{id}/experiments/{seq}",
        ctx -> ctx.json(data.snapshot(ctx.pathParam("id")).detail(intPath(ctx, "seq"))));
    r.addHttpHandler(
        HandlerType.GET, "/console/api/campaigns/{id}/attachments/{sha}", this::attachment);
    r.addHttpHandler(
        HandlerType.GET, "/console/api/campaign-files", ctx -> ctx.json(campaignFiles()));
    r.addHttpHandler(HandlerType.POST, "/console/api/campaign-files/{name}/start", this::startFile);
    r.addHttpHandler(HandlerType.GET, "/console/api/timeline", this::timeline);
    r.addHttpHandler(
        HandlerType.GET,
        "/console/api/lab-events",
        ctx -> {
          List<EventView> copy;
          synchronized (labEvents) {
            copy = new ArrayList<>(labEvents);
          }
          ctx.json(copy);
        });
  }

  @Override
  public Optional<Actor> signedIn(Context ctx) {
    if (isSignIn(ctx)) return Optional.empty();
    Optional<ConsoleSessions.Session> s = session(ctx);
    if (s.isEmpty()) return Optional.empty();
    boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    if (!read && !ConsoleSessions.csrfMatches(s.get(), ctx.header(ConsoleSessions.CSRF_HEADER))) {
      log.warn(
          "refused a console change without its CSRF header from {} ({} {})",
          ctx.ip(),
          ctx.method(),
          ctx.path());
      throw new ApiProblem(
          403,
          "csrf",
          "Forbidden",
          "this change came without the console's "
              + ConsoleSessions.CSRF_HEADER
              + " header (reload the console page and try again)",
          List.of());
    }
    return Optional.of(s.get().actor());
  }

  @Override
  public boolean open(Context ctx) {
    String p = ctx.path();
    if (isSignIn(ctx)) return true;
    if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) return false;
    return p.equals("/")
        || p.startsWith("/console/assets/")
        || p.startsWith("/webjars/")
        || p.equals("/console/api/session");
  }

  @Override
  public void close() {
    if (subscription != null) subscription.close();
  }

  /** The shared snapshots (for the benchmark and tests). */
  public CampaignData data() {
    return data;
  }

  private static boolean isSignIn(Context ctx) {
    return ctx.method() == HandlerType.POST && ctx.path().equals("/console/api/session");
  }

  private Optional<ConsoleSessions.Session> session(Context ctx) {
    return sessions.find(ctx.cookie(ConsoleSessions.COOKIE));
  }

  private void onEvent(EventView e) {
    if (e.campaignId() != null) {
      data.changed(e.campaignId());
      return;
    }
    synchronized (labEvents) {
      labEvents.addLast(e);
      while (labEvents.size() > LAB_EVENTS_KEPT) labEvents.pollFirst();
    }
  }

  private void signIn(Context ctx) {
    String token;
    try {
      JsonNode body = json.readTree(io.labloop.orchestrator.api.ApiServer.body(ctx));
      token = body == null || body.get("token") == null ? null : body.get("token").asText();
    } catch (IOException e) {
      throw ApiProblem.invalid("expected a JSON object {\"token\": \"...\"}", List.of());
    }
    ConsoleSessions.Session s;
    try {
      s = sessions.signIn(token, ctx.ip());
    } catch (ConsoleSessions.TooManyAttempts e) {
      log.warn("console sign-in from {} refused: {}", ctx.ip(), e.getMessage());
      ctx.header("Retry-After", Long.toString(e.waitSeconds));
      throw e.problem();
    } catch (ApiProblem e) {
      log.warn("console sign-in from {} with an unknown token refused", ctx.ip());
      throw e;
    }
    log.info("console: {} signed in from {}", s.actor().name(), ctx.ip());
    ctx.res()
        .addHeader(
            "Set-Cookie",
            ConsoleSessions.COOKIE
                + "="
                + s.id()
                + "; Path=/; HttpOnly; SameSite="
                + SameSite.STRICT.getValue()
                + (ctx.req().isSecure() ? "; Secure" : ""));
    ctx.header("Cache-Control", "no-store")
        .json(Map.of("signedIn", true, "name", s.actor().name(), "csrf", s.csrf()));
  }

  private Actor actor(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Optional<Actor> a = tokens.apply(header.substring(7).strip());
      if (a.isPresent()) return a.get();
    }
    return session(ctx)
        .map(ConsoleSessions.Session::actor)
        .orElseThrow(
            () -> ApiProblem.unauthorized("changes need a token or signing in to the console"));
  }

  private void page(Context ctx, String name, String type) {
    try (InputStream in = WebConsole.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) throw ApiProblem.notFound("no console file " + name);
      ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .header("Cache-Control", "no-cache")
          .contentType(type)
          .result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of a WebJar in the jar (versioned paths, so the browser may keep it). */
  private void webjar(Context ctx) {
    String path = ctx.pathParam("path");
    if (!WEBJAR_PATH.matcher(path).matches() || path.contains(".."))
      throw ApiProblem.notFound("no file " + path);
    try (InputStream in =
        WebConsole.class.getResourceAsStream("/META-INF/resources/webjars/" + path)) {
      if (in == null) throw ApiProblem.notFound("no file " + path);
      String type =
          path.endsWith(".js")
              ? "text/javascript; charset=utf-8"
              : path.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
      ctx.header("Cache-Control", "public, max-age=31536000, immutable")
          .header("X-Content-Type-Options", "nosniff")
          .contentType(type)
          .result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void attachment(Context ctx) {
    String sha = ctx.pathParam("sha");
    if (!SHA256.matcher(sha).matches()) throw ApiProblem.notFound("no attachment " + sha);
    AttachmentRecord a =
        data.snapshot(ctx.pathParam("id"))
            .attachment(sha)
            .orElseThrow(
                () -> ApiProblem.notFound("no attachment " + sha + " in " + ctx.pathParam("id")));
    Path file = store.attachmentsDir().resolve(sha);
    if (!Files.isRegularFile(file))
      throw ApiProblem.notFound(
          "the file of attachment " + a.name() + " is missing from " + file.getParent());
    String name = FileNames.safe(a.name());
    try {
      ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"")
          .header("X-Content-Type-Options", "nosniff")
          .contentType(
              a.mediaType() == null || a.mediaType().isBlank()
                  ? "application/octet-stream"
                  : a.mediaType())
          .result(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A campaign file the page may start. */
  public record CampaignFile(String name, long sizeBytes) {}

  private List<CampaignFile> campaignFiles() {
    if (campaignDir == null || !Files.isDirectory(campaignDir)) return List.of();
    try (Stream<Path> files = Files.list(campaignDir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> CAMPAIGN_FILE.matcher(f.getFileName().toString()).matches())
          .sorted()
          .map(f -> new CampaignFile(f.getFileName().toString(), f.toFile().length()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + campaignDir, e);
    }
  }

  private void startFile(Context ctx) {
    String name = ctx.pathParam("name");
    if (!CAMPAIGN_FILE.matcher(name).matches()
        || campaignFiles().stream().noneMatch(f -> f.name().equals(name))) {
      throw ApiProblem.notFound(
          "no campaign file " + name + " in the daemon's campaign folder " + campaignDir);
    }
    String text;
    try {
      text = Files.readString(campaignDir.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw ApiProblem.invalid(
          "cannot read " + name + ": " + e.getMessage(),
          List.of(name + ":1:1: error: cannot read the file"));
    }
    CampaignView created = campaigns.submit(name, text, actor(ctx));
    ctx.status(201).json(created);
  }

  /**
   * Every campaign's events and audit records (or one campaign's), newest first, with the lab-wide
   * ones.
   */
  private void timeline(Context ctx) {
    int limit = Math.max(1, Math.min(intParam(ctx, "limit", 500), 5000));
    String only = ctx.queryParam("campaign");
    List<EventView> all = new ArrayList<>();
    List<String> ids =
        only != null && !only.isBlank()
            ? List.of(only)
            : campaigns.campaigns().stream().map(CampaignView::id).toList();
    for (String id : ids) {
      if (!id.contains("~")) continue; // a scheduled campaign: no run, no events yet
      List<EventView> events = campaigns.events(id);
      all.addAll(events.subList(Math.max(0, events.size() - limit), events.size()));
    }
    if (only == null || only.isBlank()) {
      synchronized (labEvents) {
        all.addAll(labEvents);
      }
    }
    all.sort(
        Comparator.comparing(EventView::at, Comparator.nullsFirst(Comparator.naturalOrder()))
            .reversed());
    ctx.json(all.subList(0, Math.min(limit, all.size())));
  }

  private static int intParam(Context ctx, String name, int otherwise) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return otherwise;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(name + " must be a whole number, not '" + v + "'", List.of());
    }
  }

  private static int intPath(Context ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(
          name + " must be a whole number, not '" + ctx.pathParam(name) + "'", List.of());
    }
  }
}
