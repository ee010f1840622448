package io.labloop.orchestrator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
  @TempDir Path data;

  @Test
  void flagThenEnvironmentThenDataFolderThenDefault() throws IOException {
    assertEquals(
        new ClientSettings(URI.create("http://127.0.0.1:8080"), Optional.empty()),
        ClientSettings.resolve(null, null, data, Map.of()));
    Files.writeString(data.resolve("url"), "http://127.0.0.1:4711/\n");
    Files.writeString(data.resolve("token"), "from-file\n");
    assertEquals(
        new ClientSettings(URI.create("http://127.0.0.1:4711"), Optional.of("from-file")),
        ClientSettings.resolve(null, null, data, Map.of()));
    assertEquals(
        new ClientSettings(URI.create("https://lab-pc:8443"), Optional.of("from-env")),
        ClientSettings.resolve(
            null,
            null,
            data,
            Map.of("LABLOOP_URL", "https://lab-pc:8443", "LABLOOP_TOKEN", "from-env")));
    assertEquals(
        new ClientSettings(URI.create("http://10.1.2.3:8080"), Optional.of("flag")),
        ClientSettings.resolve(
            "http://10.1.2.3:8080", "flag", data, Map.of("LABLOOP_TOKEN", "from-env")));
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWithAnExample() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClientSettings.resolve("localhost:8080", null, data, Map.of()));
    assertEquals(
        "daemon URL 'localhost:8080' must be http:// or https:// with a host (e.g. http://127.0.0.1:8080)",
        e.getMessage());
  }
}
