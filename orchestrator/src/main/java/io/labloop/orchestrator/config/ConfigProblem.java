package io.labloop.orchestrator.config;

import java.util.Objects;

/**
 * One thing wrong with a lab or campaign file (or a file it names), with where it is.
 *
 * @param file the file as the user named it (a path, or a display name for YAML sent over HTTP)
 * @param line 1-based line
 * @param column 1-based column
 * @param message what is wrong and, in parentheses, what was expected
 */
public record ConfigProblem(String file, int line, int column, String message)
    implements Comparable<ConfigProblem> {

  public ConfigProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** The one-line form editors and compilers use: {@code FILE:LINE:COLUMN: error: message}. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": error: " + message;
  }

  @Override
  public int compareTo(ConfigProblem o) {
    int c = file.compareTo(o.file);
    if (c != 0) return c;
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }
}
