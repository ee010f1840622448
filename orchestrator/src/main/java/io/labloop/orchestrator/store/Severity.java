package io.labloop.orchestrator.store;

import java.util.Locale;

/**
 * How much an event matters to a person: {@link #INFO} for the record, {@link #WARNING} for
 * something to look at (an interlock hold, a failed step that is retried), {@link #ALERT} for
 * something to act on (a watchdog, a held experiment, an abort).
 *
 * <p>One type, two spellings, converted only here: the store and the export write the lower case
 * ({@link #stored()}, {@code alert}); the API and the event stream the enum name ({@code ALERT}).
 */
public enum Severity {
  INFO,
  WARNING,
  ALERT;

  /** The spelling in the store and the export: {@code info}, {@code warning}, {@code alert}. */
  public String stored() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads either spelling. */
  public static Severity of(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
