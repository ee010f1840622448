package io.labloop.drivers.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Saves a certificate that a connection refused, for the engineer to inspect and trust.
 *
 * <p>Clients retry on their own, so the same refusal comes again and again while the engineer (or a
 * test) may be reading or moving the file: the file is written only if it is not there yet, and
 * atomically (a temporary file in the same folder, then a rename), so a reader never sees half a
 * certificate.
 */
public final class RefusedCertificates {

  private RefusedCertificates() {}

  /** Writes {@code content} to {@code file} unless the file exists; creates the folder. */
  public static Path saveOnce(Path file, byte[] content) throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    if (Files.exists(file)) return file;
    Path part = Files.createTempFile(folder, ".refused", ".part");
    try {
      Files.write(part, content);
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another attempt saved the same certificate first: that copy is complete.
      if (!Files.exists(file)) throw e;
    } finally {
      Files.deleteIfExists(part);
    }
    return file;
  }
}
