package io.labloop.settings;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for names a researcher typed: the closest known name by edit distance
 * (Levenshtein, counting a swap of two neighbours as one edit since transposed letters are the
 * commonest typo), if it is close enough to be a likely slip rather than a different word.
 */
public final class Spelling {

  private Spelling() {}

  /**
   * The known name closest to {@code typed}, if within a third of its length (at least 1, at most 3
   * edits).
   */
  public static Optional<String> closest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String t = typed.toLowerCase(Locale.ROOT);
    for (String k : known) {
      int d = distance(t, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    int allowed = Math.max(1, Math.min(3, typed.length() / 3));
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** A hint for a message: {@code did you mean 'x'?} or {@code expected one of a, b, c}. */
  public static String hint(String typed, Collection<String> known) {
    return closest(typed, known)
        .map(k -> "did you mean '" + k + "'?")
        .orElseGet(
            () ->
                known.isEmpty()
                    ? "expected none here"
                    : "expected one of " + String.join(", ", known));
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
