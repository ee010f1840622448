package io.labloop.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes RFC 9457 {@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail}, {@code instance} (the request path), and the extension member {@code problems}
 * with every FILE:LINE:COLUMN line of a rejected file.
 */
final class ProblemResponse {
  static final String MEDIA_TYPE = "application/problem+json";

  private ProblemResponse() {}

  static void write(Context ctx, ObjectMapper json, ApiProblem p) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:labloop:problem:" + p.type());
    body.put("title", p.title());
    body.put("status", p.status());
    body.put("detail", p.detail());
    body.put("instance", ctx.path());
    if (!p.problems().isEmpty()) body.put("problems", p.problems());
    if (p.status() == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"labloop\"");
    try {
      ctx.status(p.status()).contentType(MEDIA_TYPE).result(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  /** An HTTP-level failure Javalin detected itself (404 route, 405, body too large). */
  static ApiProblem fromStatus(int status, String detail) {
    return switch (status) {
      case 404 -> ApiProblem.notFound(detail);
      case 413 -> ApiProblem.tooLarge(detail, List.of());
      case 401 -> ApiProblem.unauthorized(detail);
      case 405 ->
          new ApiProblem(405, "method-not-allowed", "Method not allowed", detail, List.of());
      default ->
          new ApiProblem(
              status,
              status >= 500 ? "internal" : "bad-request",
              status >= 500 ? "Internal error" : "Bad request",
              detail,
              List.of());
    };
  }
}
