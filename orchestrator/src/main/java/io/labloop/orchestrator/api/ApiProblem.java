package io.labloop.orchestrator.api;

import java.util.List;

/**
 * A request the service cannot carry out, as the client will see it: an HTTP status, a short title,
 * one line of detail and, for a rejected file, every {@code FILE:LINE:COLUMN: error: ...} problem.
 * The API turns it into an RFC 9457 {@code application/problem+json} response; an engine adapter
 * throws it for unknown ids, bad files and changes that do not fit the campaign's state.
 */
public final class ApiProblem extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final List<String> problems;

  public ApiProblem(int status, String type, String title, String detail, List<String> problems) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.problems = List.copyOf(problems);
  }

  /** 404: no campaign, experiment or route by that name. */
  public static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "not-found", "Not found", detail, List.of());
  }

  /** 400: a file or value with problems; {@code problems} are the FILE:LINE:COLUMN lines. */
  public static ApiProblem invalid(String detail, List<String> problems) {
    return new ApiProblem(400, "invalid-input", "Invalid input", detail, problems);
  }

  /** 409: a change that does not fit the current state (resume a finished campaign ...). */
  public static ApiProblem conflict(String detail) {
    return new ApiProblem(409, "conflict", "Conflict with the current state", detail, List.of());
  }

  /** 413: a body over the configured limit. */
  public static ApiProblem tooLarge(String detail, List<String> problems) {
    return new ApiProblem(413, "too-large", "Request too large", detail, problems);
  }

  /** 401: no token, or a token the daemon does not know. */
  public static ApiProblem unauthorized(String detail) {
    return new ApiProblem(401, "unauthorized", "Authentication required", detail, List.of());
  }

  public int status() {
    return status;
  }

  /** A short slug, published as {@code urn:labloop:problem:SLUG}. */
  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<String> problems() {
    return problems;
  }
}
