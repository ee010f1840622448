package io.labloop.orchestrator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The attachment files beside the database, named by the SHA-256 of their bytes. A file is written
 * to a temporary name, fsynced, then renamed into place, so a name that exists always has all its
 * bytes; the journal commits the row naming a file only after this returns.
 */
final class AttachmentFiles {

  private final Path dir;

  AttachmentFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Content-addressed: the same bytes are kept once, whatever step they came with. */
  String write(byte[] data) {
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
    Path target = dir.resolve(sha);
    if (Files.exists(target)) return sha;
    try {
      Path tmp = Files.createTempFile(dir, sha, ".part");
      try (var ch =
          java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(data));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return sha;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write attachment " + target, e);
    }
  }
}
