package io.labloop.orchestrator.store;

import java.util.Optional;

/**
 * The name of one run of a campaign: the campaign's name and the run's number, counting that
 * campaign's runs from 1.
 *
 * <p>It has two spellings, and this type is the only place that converts between them. The store,
 * the log and the terminal write {@code silver/2} ({@link #toString()}); the API writes {@code
 * silver~2} ({@link #api()}) so that a run id fits in one URL path segment. A campaign name holds
 * neither {@code /} nor {@code ~} at its end, so the last separator splits the two parts.
 *
 * @param campaign the campaign's {@code campaign:} name
 * @param number the run's number, from 1
 */
public record RunId(String campaign, int number) {
  private static final char STORED = '/';
  private static final char API = '~';

  public RunId {
    if (campaign == null || campaign.isEmpty())
      throw new IllegalArgumentException("a run id needs a campaign name");
    if (number < 1) throw new IllegalArgumentException("run numbers count from 1, not " + number);
  }

  /** Reads the store's spelling {@code NAME/N}; throws on anything else. */
  public static RunId of(String stored) {
    return parse(stored, STORED)
        .orElseThrow(() -> new IllegalArgumentException("not a run id: '" + stored + "' (NAME/N)"));
  }

  /** Reads the API's spelling {@code NAME~N}; empty for anything else (a campaign name, say). */
  public static Optional<RunId> fromApi(String id) {
    return parse(id, API);
  }

  /** {@code NAME~N}, the spelling in URLs, API views and the commands a user types. */
  public String api() {
    return campaign + API + number;
  }

  /** {@code NAME/N}, the spelling in the store and the log. */
  @Override
  public String toString() {
    return campaign + STORED + number;
  }

  private static Optional<RunId> parse(String text, char separator) {
    if (text == null) return Optional.empty();
    int at = text.lastIndexOf(separator);
    if (at <= 0 || at == text.length() - 1) return Optional.empty();
    String digits = text.substring(at + 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9)
      return Optional.empty();
    int n = Integer.parseInt(digits);
    return n < 1 ? Optional.empty() : Optional.of(new RunId(text.substring(0, at), n));
  }
}
