package io.labloop.orchestrator.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The body of any request, read once before its route runs, so that no route can forget a check. In
 * order: the declared media type must be one the route reads (415 otherwise, before a byte is
 * read); the body is read through a counting limit, not only checked against the Content-Length
 * header, which a chunked upload does not send (413 past the limit, after reading at most one byte
 * more than it; 400 when it ends early); it must be UTF-8 (400 with FILE:LINE:COLUMN of the first
 * bad byte). Submit reads YAML; every other change reads JSON or nothing; reads take no body.
 */
final class RequestBody {

  /** What a route reads. */
  enum Kind {
    YAML(
        "application/yaml",
        Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")),
    JSON("application/json", Set.of("application/json")),
    NONE("no body", Set.of());

    final String expected;
    final Set<String> mediaTypes;

    Kind(String expected, Set<String> mediaTypes) {
      this.expected = expected;
      this.mediaTypes = mediaTypes;
    }

    static Kind of(Context ctx) {
      if (ctx.method() == HandlerType.POST)
        return ctx.path().equals("/api/campaigns") ? YAML : JSON;
      if (ctx.method() == HandlerType.PUT
          || ctx.method() == HandlerType.PATCH
          || ctx.method() == HandlerType.DELETE) return JSON;
      return NONE;
    }
  }

  private RequestBody() {}

  /**
   * The body as text ("" when there is none).
   *
   * @param displayName how a problem names the body, e.g. the submitted file's name
   * @throws ApiProblem 413, 415 or 400 as above
   */
  static String read(Context ctx, long max, Kind kind, String displayName) {
    long declared = ctx.contentLength();
    String type = mediaType(ctx.contentType());
    if (declared > max) {
      drain(ctx, max);
      throw tooLarge(displayName, declared, max);
    }
    if (declared != 0 && type != null && !accepts(kind, type)) {
      throw new ApiProblem(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          kind == Kind.NONE
              ? ctx.method() + " " + ctx.path() + " takes no body (got " + type + ")"
              : "the body is " + type + " (expected Content-Type: " + kind.expected + ")",
          List.of());
    }
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    } catch (IOException e) {
      // The client stopped sending before the body's end: fewer bytes than its Content-Length,
      // a chunked body without its last chunk, a broken chunk size (found by the API fuzzer).
      throw ApiProblem.invalid(
          "the body ended early or its chunked encoding is broken (expected the "
              + (declared >= 0
                  ? declared + " bytes that Content-Length announced"
                  : "whole chunked body")
              + ")",
          List.of());
    }
    if (bytes.length > max) {
      drain(ctx, max);
      throw tooLarge(displayName, -1, max);
    }
    if (bytes.length > 0 && kind == Kind.NONE) {
      throw new ApiProblem(
          415,
          "unsupported-media-type",
          "Unsupported media type",
          ctx.method() + " " + ctx.path() + " takes no body",
          List.of());
    }
    return utf8(bytes, displayName);
  }

  /**
   * Reads and drops the rest of an oversized body, up to {@link #DRAIN_FACTOR} times the limit, so
   * that a client still sending it reads the 413 instead of a connection reset: closing a socket
   * with unread bytes in its receive buffer makes TCP send a reset, which can destroy the answer
   * before the client has read it (seen with a chunked 200 kB body on a busy machine). Past that
   * amount the connection is closed after the answer; nothing is kept in memory either way.
   */
  private static void drain(Context ctx, long max) {
    long left = Math.min(Long.MAX_VALUE / DRAIN_FACTOR, max) * DRAIN_FACTOR;
    long declared = ctx.contentLength();
    if (declared > left) return;
    byte[] sink = new byte[8192];
    try {
      InputStream in = ctx.req().getInputStream();
      for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // the client gave up sending: the answer goes out all the same
    }
  }

  private static final long DRAIN_FACTOR = 4;

  private static boolean accepts(Kind kind, String type) {
    return kind.mediaTypes.contains(type)
        || (kind == Kind.JSON && type.startsWith("application/") && type.endsWith("+json"));
  }

  /** {@code application/json; charset=utf-8} to {@code application/json}; null when absent. */
  private static String mediaType(String header) {
    if (header == null || header.isBlank()) return null;
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  private static String utf8(byte[] bytes, String displayName) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      int at = firstBadByte(bytes);
      int line = 1;
      int col = 1;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          col = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          col++;
        }
      }
      String where = displayName + ":" + line + ":" + col;
      throw ApiProblem.invalid(
          displayName + " is not UTF-8 text",
          List.of(
              where
                  + ": error: byte 0x"
                  + String.format("%02x", bytes[at] & 0xff)
                  + " is not UTF-8 (expected a UTF-8 text file, not a binary one)"));
    }
  }

  private static int firstBadByte(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    var out = java.nio.CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : 0;
  }

  private static ApiProblem tooLarge(String displayName, long size, long max) {
    String what = size > 0 ? "is " + size + " bytes" : "is larger than " + max + " bytes";
    return ApiProblem.tooLarge(
        displayName + " " + what + "; the daemon accepts at most " + max,
        List.of(
            displayName
                + ":1:1: error: the file "
                + what
                + " (expected at most "
                + max
                + " bytes; raise api.max-body in labloop.yaml if this is a real campaign)"));
  }
}
