package io.labloop.orchestrator.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's own token: {@code LABLOOP_TOKEN} from the environment if set (named {@code
 * LABLOOP_TOKEN_NAME}, default "operator"), else {@code DATA/token}, created on first start with 32
 * random bytes and mode 0600 (owner only) so that only the daemon's user and root can make changes
 * from this machine without a configured token.
 */
public record TokenFile(String name, String token) {
  static final String FILE_TOKEN_NAME = "local";

  @Override
  public String toString() {
    return "TokenFile[name=" + name + ", token=***]";
  }

  public static TokenFile resolve(Path dataDir, Map<String, String> env) {
    String fromEnv = env.get("LABLOOP_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      String name = env.getOrDefault("LABLOOP_TOKEN_NAME", "operator");
      return new TokenFile(name.isBlank() ? "operator" : name.strip(), fromEnv.strip());
    }
    Path file = dataDir.resolve("token");
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
          // Created with its final mode, so there is no moment when others could read it.
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(
                  Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
          Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
          // another daemon on the same folder wrote it first: use theirs
        }
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty())
        throw new IllegalStateException(
            file + " is empty; delete it and a new token is made at the next start");
      return new TokenFile(FILE_TOKEN_NAME, token);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read the token file " + file, e);
    }
  }
}
