package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's tokens, with {@code DATA/token} re-read when it changes, so that rotating the token
 * is "write a new file": the new token works on the next request and the old one is refused from
 * then on, without a restart.
 *
 * <p>The algorithm: every request asks for the tokens; that costs one {@code stat} of the file (its
 * modification time, size and inode, which a rename onto it changes). Only when one of them differs
 * from the last read is the file read again, at most {@link #MAX_BYTES}, and only if it is a
 * regular file. A file that is missing, empty or unreadable leaves no file token at all (the named
 * tokens of {@code labloop.yaml} still work), so a half-written file never keeps the old token
 * alive; write the new token to another file and rename it onto {@code DATA/token}.
 */
final class TokenRotation implements Supplier<Tokens> {
  private static final Logger log = LoggerFactory.getLogger(TokenRotation.class);
  static final int MAX_BYTES = 4096;

  private final Path file;
  private final Map<String, String> digests;
  private Stamp seen;
  private Tokens current;

  /**
   * @param file the token file ({@code DATA/token}), named {@code local} in the audit trail
   * @param digests the named tokens of {@code labloop.yaml} (name to hex SHA-256), always valid
   */
  TokenRotation(Path file, Map<String, String> digests) {
    this.file = Objects.requireNonNull(file);
    this.digests = Map.copyOf(digests);
  }

  @Override
  public synchronized Tokens get() {
    Stamp now = Stamp.of(file);
    if (current == null || !now.equals(seen)) {
      current = build(now);
      if (seen != null)
        log.info("token file {} changed: the tokens in it are now the ones accepted", file);
      seen = now;
    }
    return current;
  }

  private Tokens build(Stamp stamp) {
    Tokens.Builder b = Tokens.builder();
    digests.forEach(b::digest);
    if (stamp.regular() && stamp.size() > 0 && stamp.size() <= MAX_BYTES) {
      try (InputStream in = Files.newInputStream(file)) {
        String token = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).strip();
        if (!token.isEmpty()) b.token(TokenFile.FILE_TOKEN_NAME, token);
      } catch (IOException | IllegalArgumentException e) {
        log.warn(
            "token file {} cannot be read ({}); only the tokens of labloop.yaml are accepted",
            file,
            e.getMessage());
      }
    } else {
      log.warn(
          "token file {} is missing, empty, too large or not a regular file; only the tokens of labloop.yaml are accepted",
          file);
    }
    return b.build();
  }

  /** What tells a changed file: a rename changes the inode, a rewrite the time or the size. */
  private record Stamp(boolean regular, FileTime modified, long size, Object key) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.isRegularFile(), a.lastModifiedTime(), a.size(), a.fileKey());
      } catch (IOException e) {
        return new Stamp(false, null, -1, null);
      }
    }
  }
}
