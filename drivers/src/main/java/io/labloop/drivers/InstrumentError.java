package io.labloop.drivers;

/**
 * Every way a command can fail, one kind each, with a message that names the instrument, the
 * command and the cause. Futures returned by {@link Instrument#execute} complete exceptionally with
 * one of these (possibly wrapped in a {@code CompletionException}).
 */
public abstract sealed class InstrumentError extends Exception
    permits InstrumentError.Timeout,
        InstrumentError.Disconnected,
        InstrumentError.Refused,
        InstrumentError.BadReply,
        InstrumentError.LimitViolation,
        InstrumentError.Interrupted {

  private final String instrument;
  private final String command;

  private InstrumentError(String instrument, String command, String message, Throwable cause) {
    super(instrument + "." + command + ": " + message, cause);
    this.instrument = instrument;
    this.command = command;
  }

  public String instrument() {
    return instrument;
  }

  public String command() {
    return command;
  }

  /** A short name of the kind: timeout, disconnected, refused, bad-reply, limit. */
  public abstract String kind();

  /** No complete reply within the command's timeout. */
  public static final class Timeout extends InstrumentError {
    public Timeout(String instrument, String command, String message) {
      super(instrument, command, message, null);
    }

    @Override
    public String kind() {
      return "timeout";
    }
  }

  /** The connection was lost, or could not be made. */
  public static final class Disconnected extends InstrumentError {
    public Disconnected(String instrument, String command, String message, Throwable cause) {
      super(instrument, command, message, cause);
    }

    @Override
    public String kind() {
      return "disconnected";
    }
  }

  /** The instrument understood the command and said no (an error reply, a Bad status code). */
  public static final class Refused extends InstrumentError {
    public Refused(String instrument, String command, String message) {
      super(instrument, command, message, null);
    }

    @Override
    public String kind() {
      return "refused";
    }
  }

  /** The reply did not match what the lab file says to expect. */
  public static final class BadReply extends InstrumentError {
    public BadReply(String instrument, String command, String message) {
      super(instrument, command, message, null);
    }

    @Override
    public String kind() {
      return "bad-reply";
    }
  }

  /** A value was outside the instrument's limits; nothing was sent. */
  public static final class LimitViolation extends InstrumentError {
    public LimitViolation(String instrument, String command, String message) {
      super(instrument, command, message, null);
    }

    @Override
    public String kind() {
      return "limit";
    }
  }

  /**
   * The command may or may not have reached the instrument: whoever sent it on (an agent on another
   * PC) stopped while it was in flight. Not sent again; the campaign's {@code on-interrupt}
   * applies.
   */
  public static final class Interrupted extends InstrumentError {
    public Interrupted(String instrument, String command, String message) {
      super(instrument, command, message, null);
    }

    @Override
    public String kind() {
      return "interrupted";
    }
  }
}
