package io.labloop.orchestrator.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * More routes on the API's port and a second way to sign a request, registered once with {@link
 * ApiServer.Builder#extension}: the web console. The gate asks it who sent a request that carries
 * no bearer token (a browser session), and whether a request may pass without anyone signed in (the
 * page itself, signing in).
 */
public interface ApiExtension {

  /** Adds the extension's routes; called once while the server starts. */
  void routes(RoutesConfig routes);

  /**
   * Who sent a request that has no {@code Authorization} header, or empty.
   *
   * @throws ApiProblem to refuse the request outright (a session without its CSRF header)
   */
  Optional<Actor> signedIn(Context ctx);

  /** True for a request anyone may send: the console's page and scripts, signing in. */
  boolean open(Context ctx);

  /** Called when the server stops. */
  default void close() {}
}
