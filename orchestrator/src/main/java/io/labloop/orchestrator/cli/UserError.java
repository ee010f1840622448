package io.labloop.orchestrator.cli;

/**
 * A problem the user caused and can fix (a missing file, a bad option value). {@link Main} prints
 * its message as one line and exits with {@link #exitCode()}; no stack trace.
 */
public class UserError extends RuntimeException {
  private final int exitCode;

  public UserError(String message) {
    this(message, ExitCodes.BAD_INPUT);
  }

  public UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
