package io.labloop.orchestrator.config;

import java.util.Optional;

/**
 * The one rule for campaign names, because a name is also a file name: the daemon keeps {@code
 * DATA/campaigns/NAME.yaml} and {@code NAME.json}, and every engine holds {@code
 * DATA/locks/NAME.lock}. A name is 1 to {@link #MAX_LENGTH} characters of ASCII letters, digits,
 * {@code -}, {@code _} and {@code .}, starting with a letter or a digit. The file name is then the
 * name itself, unchanged, so two different names can never share a file (the old rule replaced
 * every other character with {@code _}, so {@code a/b} and {@code a_b} did), and no name can be
 * {@code ..}, start like an option, or hold a path separator, a NUL or a {@code ~} (which run ids
 * use). Names are case-sensitive, like the Linux file system.
 */
public final class CampaignName {

  /** Longest name: far below any file system's limit once a suffix is added. */
  public static final int MAX_LENGTH = 64;

  private CampaignName() {}

  /** Why {@code name} is not a campaign name, or empty when it is one. */
  public static Optional<String> problem(String name) {
    if (name.isEmpty())
      return Optional.of(
          "the campaign name is empty (expected e.g. campaign: silver-nanoparticles)");
    if (name.length() > MAX_LENGTH) {
      return Optional.of(
          "the campaign name is "
              + name.length()
              + " characters long (expected at most "
              + MAX_LENGTH
              + " characters)");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letterOrDigit =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (letterOrDigit || (i > 0 && (c == '-' || c == '_' || c == '.'))) continue;
      return Optional.of(
          "the campaign name '"
              + printable(name)
              + "' has "
              + describe(c)
              + " at character "
              + (i + 1)
              + " (expected letters, digits, '-', '_' and '.', starting with a letter or digit: the name is also a file name)");
    }
    return Optional.empty();
  }

  /**
   * The file name (without suffix) of a campaign's files.
   *
   * @throws IllegalArgumentException if {@code name} breaks the rule (a name from outside a checked
   *     campaign file; the loader reports it with a position before it gets here)
   */
  public static String fileName(String name) {
    problem(name)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return name;
  }

  private static String describe(char c) {
    if (c == '/' || c == '\\') return "a path separator '" + c + "'";
    if (c < 0x20 || c == 0x7f) return String.format("the control character U+%04X", (int) c);
    return "'" + c + "'";
  }

  /** The name as it can be shown in a message: control characters as U+XXXX, long names cut. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && i < MAX_LENGTH; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) out.append(String.format("U+%04X", (int) c));
      else out.append(c);
    }
    return name.length() > MAX_LENGTH ? out + "..." : out.toString();
  }
}
