package io.labloop.orchestrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lab and campaign files that ship inside the jar (the demo, the benchmarks) and are written out as
 * ordinary files, so that the user can read, edit and re-run exactly what was run. {@code {{NAME}}}
 * in a file is replaced by the value given for NAME (ports, paths, budgets): the one placeholder
 * syntax of every built-in file. A placeholder left without a value is a bug in the caller,
 * reported as such rather than written out.
 */
public final class BuiltInFiles {

  private BuiltInFiles() {}

  /**
   * Writes the resource {@code resource} (relative to {@code anchor}'s package) into {@code dir}
   * under its own file name, with the placeholders filled in; returns the file.
   */
  public static Path write(Class<?> anchor, String resource, Path dir, Map<String, String> values) {
    Path file = dir.resolve(Path.of(resource).getFileName().toString());
    try {
      Files.writeString(file, text(anchor, resource, values), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The text of the resource {@code resource} with the placeholders filled in. */
  public static String text(Class<?> anchor, String resource, Map<String, String> values) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null)
        throw new IllegalStateException("built-in file " + resource + " is missing from the jar");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet())
        text = text.replace("{{" + v.getKey() + "}}", v.getValue());
      Matcher left = PLACEHOLDER.matcher(text);
      if (left.find())
        throw new IllegalStateException(
            "built-in file " + resource + ": no value given for " + left.group());
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[A-Z_]+}}");
}
