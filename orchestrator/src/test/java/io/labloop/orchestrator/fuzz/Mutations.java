package io.labloop.orchestrator.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Random edits of real files: the fuzzer's way to reach deep into a reader (a file that is almost
 * right gets past the first checks), where random text alone stops at the first line.
 */
final class Mutations {

  /** Characters that mean something to YAML, CSV or an expression, and some that mean trouble. */
  static final String SPECIAL =
      ":-[]{}&*!|>'\"#%@`,?$()\\/=+^<.~\t\r\n \u0000\u00e9\u2028\ufeff0123456789eE";

  private Mutations() {}

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code seed} with 1 to {@code maxEdits} random insertions, deletions, replacements and repeats.
   */
  static String mutate(String seed, Random random, int maxEdits) {
    StringBuilder s = new StringBuilder(seed);
    int edits = 1 + random.nextInt(maxEdits);
    for (int i = 0; i < edits; i++) {
      int at = s.length() == 0 ? 0 : random.nextInt(s.length());
      switch (random.nextInt(6)) {
        case 0 -> s.insert(at, SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        case 1 -> {
          if (s.length() > 0) s.deleteCharAt(at);
        }
        case 2 -> {
          if (s.length() > 0) s.setCharAt(at, SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        }
        case 3 -> {
          // repeat a slice: long lines, deep nesting, many keys
          int end = Math.min(s.length(), at + 1 + random.nextInt(40));
          String slice = s.substring(at, end);
          s.insert(at, slice.repeat(1 + random.nextInt(random.nextInt(5) == 0 ? 2000 : 20)));
        }
        case 4 -> {
          // swap two lines
          List<String> lines = new java.util.ArrayList<>(s.toString().lines().toList());
          if (lines.size() > 1) {
            java.util.Collections.swap(
                lines, random.nextInt(lines.size()), random.nextInt(lines.size()));
            s = new StringBuilder(String.join("\n", lines));
          }
        }
        default ->
            s.insert(
                at,
                List.of(
                        "${X}",
                        "${X:-",
                        "&a ",
                        "*a",
                        "!!binary ",
                        "? ",
                        "--- ",
                        "...",
                        "null",
                        "1e999",
                        "-.inf",
                        "0x",
                        "\"\\u0000\"",
                        "'",
                        "[[[[",
                        "{{{{")
                    .get(random.nextInt(16)));
      }
      if (s.length() > 200_000) s.setLength(200_000);
    }
    return s.toString();
  }

  /** Lists, maps and block sequences nested {@code depth} deep, closed or not. */
  static String nested(Random random, int depth) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      switch (random.nextInt(3)) {
        case 0 -> {
          open.append('[');
          close.insert(0, ']');
        }
        case 1 -> {
          open.append("{k: ");
          close.insert(0, '}');
        }
        default -> {
          open.append("[- ");
          close.insert(0, ']');
        }
      }
    }
    return "campaign: x\nlab: " + open + "1" + (random.nextBoolean() ? close : "") + "\n";
  }
}
