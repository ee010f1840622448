package io.labloop.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.labloop.common.FileNames;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The arguments of the API's routes, read from the path, the query and the body the gate read: an
 * experiment number, a submitted file's name, a rejection's reason, a hand-chosen point, a release
 * of a held experiment, or nothing at all. Whatever does not fit is a 400 problem that quotes the
 * shape expected, so a client learns what to send instead of having its request half-understood.
 */
final class RequestArguments {
  private final ObjectMapper json;

  RequestArguments(ObjectMapper json) {
    this.json = json;
  }

  String rejectReason(Context ctx) {
    String body = RequestGate.body(ctx);
    if (body.isBlank()) return "rejected";
    try {
      JsonNode n = json.readTree(body);
      JsonNode reason = n == null ? null : n.get("reason");
      if (reason == null || !reason.isTextual()) {
        throw ApiProblem.invalid("expected a JSON object {\"reason\": \"...\"}", List.of());
      }
      return reason.asText();
    } catch (IOException e) {
      throw ApiProblem.invalid("the body is not JSON (expected {\"reason\": \"...\"})", List.of());
    }
  }

  /** The body of a hand-chosen point: {@code {"point": {"NAME": VALUE, ...}}}. */
  Map<String, Object> suggestedPoint(Context ctx) {
    String expected = " (expected {\"point\": {\"PARAMETER\": NUMBER or \"TEXT\", ...}})";
    JsonNode n;
    try {
      n = json.readTree(RequestGate.body(ctx));
    } catch (IOException e) {
      throw ApiProblem.invalid("the body is not JSON" + expected, List.of());
    }
    JsonNode point = n == null ? null : n.get("point");
    if (point == null || !point.isObject())
      throw ApiProblem.invalid("point is missing" + expected, List.of());
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    point
        .fields()
        .forEachRemaining(
            f -> {
              JsonNode v = f.getValue();
              if (v.isNumber()) {
                out.put(f.getKey(), v.doubleValue());
              } else if (v.isTextual()) {
                out.put(f.getKey(), v.textValue());
              } else {
                throw ApiProblem.invalid(
                    "point." + f.getKey() + " must be a number or text" + expected, List.of());
              }
            });
    return out;
  }

  ReleaseRequest releaseRequest(Context ctx) {
    String expected =
        " (expected {\"action\": \"retry\" | \"fail\" | \"measured\", \"reason\": \"...\", \"values\": {\"OBJECTIVE\": NUMBER}})";
    JsonNode n;
    try {
      n = json.readTree(RequestGate.body(ctx));
    } catch (IOException e) {
      throw ApiProblem.invalid("the body is not JSON" + expected, List.of());
    }
    if (n == null || !n.isObject())
      throw ApiProblem.invalid("the body must be a JSON object" + expected, List.of());
    JsonNode action = n.get("action");
    if (action == null || !action.isTextual())
      throw ApiProblem.invalid("action is missing" + expected, List.of());
    JsonNode reason = n.get("reason");
    if (reason != null && !reason.isTextual() && !reason.isNull())
      throw ApiProblem.invalid("reason must be text" + expected, List.of());
    Map<String, Double> values = new java.util.LinkedHashMap<>();
    JsonNode v = n.get("values");
    if (v != null && !v.isNull()) {
      if (!v.isObject())
        throw ApiProblem.invalid("values must be an object of numbers" + expected, List.of());
      for (var it = v.fields(); it.hasNext(); ) {
        var field = it.next();
        if (!field.getValue().isNumber()) {
          throw ApiProblem.invalid(
              "values." + field.getKey() + " must be a number, not " + field.getValue(), List.of());
        }
        values.put(field.getKey(), field.getValue().doubleValue());
      }
    }
    return new ReleaseRequest(
        ReleaseRequest.Action.parse(action.asText()),
        reason == null || reason.isNull() ? "" : reason.asText(),
        values);
  }

  static int seq(Context ctx) {
    String s = ctx.pathParam("seq");
    try {
      int v = Integer.parseInt(s);
      if (v < 1) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(
          "experiment number '" + s + "' is not a positive whole number", List.of());
    }
  }

  /** The last path segment of a client-given name, made safe to quote in messages. */
  static String fileName(String given) {
    if (given == null || given.isBlank()) return "campaign.yaml";
    String last = given.replace('\\', '/');
    last = FileNames.safe(last.substring(last.lastIndexOf('/') + 1));
    if (last.isEmpty() || last.chars().allMatch(c -> c == '.')) return "campaign.yaml";
    return last.length() > 100 ? last.substring(0, 100) : last;
  }

  /**
   * For routes that take no arguments (approve, pause, resume, abort, emergency stop, reload): no
   * body, or a JSON object (its fields are ignored). Anything else is refused, so that a client
   * that meant to send something else learns it was not understood.
   */
  void noArguments(Context ctx) {
    String body = RequestGate.body(ctx);
    if (body.isBlank()) return;
    try {
      JsonNode n = json.readTree(body);
      if (n != null && n.isObject()) return;
    } catch (IOException e) {
      // answered below
    }
    throw ApiProblem.invalid("the body is not a JSON object (expected no body or {})", List.of());
  }
}
