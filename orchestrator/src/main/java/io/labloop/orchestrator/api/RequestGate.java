package io.labloop.orchestrator.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check every request passes before its route. A change (anything but GET, HEAD or OPTIONS)
 * needs a known bearer token, or a signed-in browser session of the {@link ApiExtension}; a read
 * needs one unless it comes from the loopback interface (or the extension opens it). The token's
 * name becomes the request's {@link Actor}. Only then is the body read ({@link RequestBody}: media
 * type, size through a counting limit, UTF-8), so nobody without a token makes the daemon read a
 * byte of one; routes take it from here with {@link #body}.
 */
final class RequestGate {
  // the API's logger: a refused token is logged as the API's, as before the gate had its own class
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String ACTOR = "labloop.actor";
  private static final String BODY = "labloop.body";

  private final Supplier<Tokens> tokens;
  private final ApiExtension extension;
  private final long maxBodyBytes;

  RequestGate(Supplier<Tokens> tokens, ApiExtension extension, long maxBodyBytes) {
    this.tokens = tokens;
    this.extension = extension;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Runs before every route: who asks, whether they may, and the body read within limits. */
  void check(Context ctx) {
    boolean read =
        ctx.method() == HandlerType.GET
            || ctx.method() == HandlerType.HEAD
            || ctx.method() == HandlerType.OPTIONS;
    String header = ctx.header("Authorization");
    Optional<Actor> who = Optional.empty();
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw ApiProblem.unauthorized("the Authorization header must be 'Bearer TOKEN'");
      }
      who = tokens.get().authenticate(header.substring(7).strip());
      if (who.isEmpty()) {
        log.warn(
            "refused a request with an unknown token from {} ({} {})",
            ctx.ip(),
            ctx.method(),
            ctx.path());
        throw ApiProblem.unauthorized("the token is not known to this daemon");
      }
    }
    if (who.isEmpty() && header == null && extension != null) who = extension.signedIn(ctx);
    boolean open = who.isEmpty() && extension != null && extension.open(ctx);
    if (who.isEmpty() && !open && !(read && isLoopback(ctx.req().getRemoteAddr()))) {
      throw ApiProblem.unauthorized(
          read
              ? "reads from other machines need a token (Authorization: Bearer TOKEN)"
              : "changes need a token (Authorization: Bearer TOKEN; see labloop-data/token)");
    }
    who.ifPresent(a -> ctx.attribute(ACTOR, a));
    // Only after the token: nobody without one makes the daemon read a byte of a body.
    RequestBody.Kind kind = RequestBody.Kind.of(ctx);
    String name =
        kind == RequestBody.Kind.YAML
            ? RequestArguments.fileName(ctx.queryParam("file"))
            : "request body";
    ctx.attribute(BODY, RequestBody.read(ctx, maxBodyBytes, kind, name));
  }

  static Actor actor(Context ctx) {
    Actor a = ctx.attribute(ACTOR);
    if (a == null) throw ApiProblem.unauthorized("changes need a token");
    return a;
  }

  static boolean isLoopback(String address) {
    try {
      // A literal address: no lookup happens.
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The body the gate read; "" when there was none. */
  static String body(Context ctx) {
    String body = ctx.attribute(BODY);
    return body == null ? "" : body;
  }
}
