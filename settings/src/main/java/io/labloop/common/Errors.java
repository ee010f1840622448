package io.labloop.common;

/** What a person should read of an exception. */
public final class Errors {

  private Errors() {}

  /**
   * The message of the innermost cause (the one that says what actually went wrong, e.g.
   * "Connection refused" under three layers of wrapping), or its class and message when it has no
   * message. A cause that is its own cause ends the walk.
   */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
