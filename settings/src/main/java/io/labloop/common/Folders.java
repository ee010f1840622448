package io.labloop.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Working folders a command made for itself and removes when it is done. */
public final class Folders {

  private Folders() {}

  /**
   * Deletes {@code root} and everything under it, deepest first; a folder already gone is fine.
   *
   * @throws IOException naming the first file that could not be removed
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
