package io.labloop.orchestrator.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  @Test
  void firstStartCreatesAnOwnerOnlyTokenThatLaterStartsReuse() throws IOException {
    TokenFile first = TokenFile.resolve(dir, Map.of());
    assertEquals("local", first.name());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token"))));
    assertEquals(first, TokenFile.resolve(dir, Map.of()));
    assertNotEquals(
        first.token(),
        TokenFile.resolve(Files.createDirectory(dir.resolve("other")), Map.of()).token());
    assertFalse(first.toString().contains(first.token()));
  }

  @Test
  void theEnvironmentWinsAndNoFileIsWritten() {
    TokenFile t =
        TokenFile.resolve(dir, Map.of("LABLOOP_TOKEN", "from-env", "LABLOOP_TOKEN_NAME", "ci"));
    assertEquals(new TokenFile("ci", "from-env"), t);
    assertFalse(Files.exists(dir.resolve("token")));
  }
}
