package io.labloop.orchestrator.cli;

/** The exit codes every {@code labloop} subcommand uses. */
public final class ExitCodes {
  /** Everything went as asked. */
  public static final int OK = 0;

  /** A campaign or run failed (an instrument, the store, the planner). */
  public static final int FAILURE = 1;

  /** Bad input or usage: a file with problems, an unknown option. Nothing was written or sent. */
  public static final int BAD_INPUT = 2;

  /**
   * Stopped by Ctrl-C (SIGINT): 128 + the signal's number, as shells report it and as the JVM exits
   * on that signal. A {@code labloop run} stopped so keeps its run; the same command resumes it.
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
