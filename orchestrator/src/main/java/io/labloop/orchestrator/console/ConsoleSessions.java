package io.labloop.orchestrator.console;

import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiProblem;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Browser sign-in: a person pastes a token once, the browser keeps a session.
 *
 * <p>A session is a random 256-bit id, sent back only as an HttpOnly cookie (page scripts cannot
 * read it, so an injected script cannot steal it) with SameSite=Strict (other sites' pages cannot
 * make the browser send it). Each session also has a CSRF token that the page learns from a
 * same-origin JSON read and sends as the {@value #CSRF_HEADER} header with every change; a change
 * with the cookie but without the matching header is refused, so even a browser that ignores
 * SameSite cannot be made to change anything by another site (the double defence the OWASP cheat
 * sheet recommends). Sessions end on sign-out, after {@link #LIFETIME}, or when the daemon restarts
 * (they live only in memory: nothing to steal from disk).
 *
 * <p>Wrong tokens are rate-limited per client address: after {@link #MAX_FAILURES} wrong tokens
 * within {@link #WINDOW}, sign-in from that address is refused (429, with the wait) until the
 * oldest failure leaves the window, so guessing a 256-bit token is hopeless and a typo costs a
 * person nothing.
 */
public final class ConsoleSessions {
  public static final String COOKIE = "labloop_session";
  public static final String CSRF_HEADER = "X-LabLoop-CSRF";
  static final Duration LIFETIME = Duration.ofHours(12);
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);

  /** A signed-in browser. */
  public record Session(String id, Actor actor, String csrf, long startedNanos) {}

  private final Function<String, Optional<Actor>> tokens;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  /**
   * @param tokens who a token belongs to (the daemon's {@link io.labloop.orchestrator.api.Tokens})
   */
  public ConsoleSessions(Function<String, Optional<Actor>> tokens) {
    this(tokens, System::nanoTime);
  }

  ConsoleSessions(Function<String, Optional<Actor>> tokens, LongSupplier nanoClock) {
    this.tokens = tokens;
    this.clock = nanoClock;
  }

  /**
   * Signs a browser in.
   *
   * @param client the client's address (for the rate limit)
   * @throws ApiProblem 401 for an unknown token
   * @throws TooManyAttempts when this address has sent too many wrong tokens lately
   */
  public Session signIn(String token, String client) {
    long now = clock.getAsLong();
    Deque<Long> recent = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
    synchronized (recent) {
      while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW.toNanos()) recent.pollFirst();
      if (recent.size() >= MAX_FAILURES) {
        long waitSeconds =
            Math.max(1, (WINDOW.toNanos() - (now - recent.peekFirst())) / 1_000_000_000L + 1);
        throw new TooManyAttempts(waitSeconds);
      }
      Optional<Actor> who =
          token == null || token.isBlank() ? Optional.empty() : tokens.apply(token.strip());
      if (who.isEmpty()) {
        recent.addLast(now);
        int left = MAX_FAILURES - recent.size();
        throw ApiProblem.unauthorized(
            "that token is not known to this daemon (it is in the daemon's labloop-data/token file, "
                + "or ask whoever runs the daemon for a named token); "
                + (left > 0 ? left + " more tries this minute" : "no more tries this minute"));
      }
      Session s = new Session(randomId(), who.get(), randomId(), now);
      sessions.put(s.id(), s);
      return s;
    }
  }

  /** The live session with this cookie value. */
  public Optional<Session> find(String cookie) {
    if (cookie == null || cookie.isEmpty()) return Optional.empty();
    Session s = sessions.get(cookie);
    if (s == null) return Optional.empty();
    if (clock.getAsLong() - s.startedNanos() > LIFETIME.toNanos()) {
      sessions.remove(cookie);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** True if {@code header} is this session's CSRF token (compared in constant time). */
  public static boolean csrfMatches(Session s, String header) {
    return header != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public void signOut(String cookie) {
    if (cookie != null) sessions.remove(cookie);
  }

  int count() {
    return sessions.size();
  }

  private String randomId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** 429: this address sent too many wrong tokens; it may try again after {@code waitSeconds}. */
  public static final class TooManyAttempts extends RuntimeException {
    public final long waitSeconds;

    TooManyAttempts(long waitSeconds) {
      super("too many wrong tokens from this address; try again in " + waitSeconds + " s");
      this.waitSeconds = waitSeconds;
    }

    public ApiProblem problem() {
      return new ApiProblem(
          429, "too-many-attempts", "Too many wrong tokens", getMessage(), List.of());
    }
  }
}
