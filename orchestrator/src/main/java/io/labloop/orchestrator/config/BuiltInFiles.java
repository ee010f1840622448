package io.labloop.orchestrator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lab and campaign files that ship inside the jar (the demo, the loop benchmark) and are written
 * out as ordinary files, so that the user can read, edit and re-run exactly what was run.
 * {@code {{NAME}}} in a file is replaced by the value given for NAME (ports, paths, budgets).
 */
public final class BuiltInFiles {

  private BuiltInFiles() {}

  /**
   * Writes the resource {@code resource} (relative to {@code anchor}'s package) into {@code dir}
   * under its own file name, with the placeholders filled in; returns the file.
   */
  public static Path write(Class<?> anchor, String resource, Path dir, Map<String, String> values) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("built-in file " + resource + " is missing from the jar");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> v : values.entrySet()) text = text.replace("{{" + v.getKey() + "}}", v.getValue());
      Path file = dir.resolve(Path.of(resource).getFileName().toString());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
