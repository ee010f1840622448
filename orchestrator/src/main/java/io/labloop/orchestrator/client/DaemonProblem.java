package io.labloop.orchestrator.client;

import java.util.List;

/** The daemon refused a request: its RFC 9457 problem, as the CLI prints it. */
public final class DaemonProblem extends RuntimeException {
  private final int status;
  private final String title;
  private final List<String> problems;

  public DaemonProblem(int status, String title, String detail, List<String> problems) {
    super(detail);
    this.status = status;
    this.title = title;
    this.problems = List.copyOf(problems);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** FILE:LINE:COLUMN lines of a rejected file (may be empty). */
  public List<String> problems() {
    return problems;
  }
}
