package io.labloop.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to what it refuses before a request reaches a route: a request line or headers
 * over the size limit (414, 431), a path Jetty will not decode (a NUL byte, an ambiguous segment:
 * 400), a broken request. Jetty would send an HTML page; an API client gets RFC 9457 {@code
 * application/problem+json} like every other error, without echoing the request.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  ProblemErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Jetty writes an error body only for GET, POST and HEAD; a PUT or an unknown method with an
   * oversized header got an empty 431. Every method gets the problem (found by the API fuzzer).
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** Errors found by the HTTP parser, before there is a request object. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, ProblemResponse.MEDIA_TYPE));
    return ByteBuffer.wrap(body(status, reason, null));
  }

  /** Errors on a parsed request that never reached Javalin. */
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemResponse.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(code, message, cause)), callback);
  }

  private byte[] body(int status, String reason, Throwable cause) {
    Map<String, Object> body = new LinkedHashMap<>();
    String title = HttpStatus.getMessage(status);
    body.put(
        "type",
        "urn:labloop:problem:" + (status == 414 || status == 431 ? "too-large" : "bad-request"));
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail(status, reason, cause));
    try {
      return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private static String detail(int status, String reason, Throwable cause) {
    return switch (status) {
      case 414 ->
          "the request line is longer than "
              + ApiServer.MAX_HEADER_BYTES
              + " bytes (expected a short path; ids are a few dozen characters)";
      case 431 -> "the request headers are larger than " + ApiServer.MAX_HEADER_BYTES + " bytes";
      default -> {
        String why =
            reason != null && !reason.isBlank()
                ? reason
                : cause != null ? cause.getMessage() : HttpStatus.getMessage(status);
        // Jetty's reasons are short and fixed ("Ambiguous URI path separator"); never the request
        // itself.
        yield why == null
            ? HttpStatus.getMessage(status)
            : why.length() > 200 ? why.substring(0, 200) : why;
      }
    };
  }
}
