package io.labloop.orchestrator.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the daemon is and which token to send. Each is taken from the first of: the command's flag,
 * the environment ({@code LABLOOP_URL}, {@code LABLOOP_TOKEN}), the daemon's data folder (the files
 * {@code url} and {@code token} it writes at start), and for the URL the default {@code
 * http://127.0.0.1:8080}.
 */
public record ClientSettings(URI url, Optional<String> token) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Override
  public String toString() {
    return "ClientSettings[url=" + url + ", token=" + (token.isPresent() ? "***" : "none") + "]";
  }

  public static ClientSettings resolve(
      String urlFlag, String tokenFlag, Path dataDir, Map<String, String> env) {
    String url =
        firstOf(urlFlag, env.get("LABLOOP_URL"), read(dataDir.resolve("url"))).orElse(DEFAULT_URL);
    Optional<String> token =
        firstOf(tokenFlag, env.get("LABLOOP_TOKEN"), read(dataDir.resolve("token")));
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "daemon URL '" + url + "' is not a URL (expected e.g. " + DEFAULT_URL + ")");
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "daemon URL '"
              + url
              + "' must be http:// or https:// with a host (e.g. "
              + DEFAULT_URL
              + ")");
    }
    return new ClientSettings(uri, token);
  }

  private static Optional<String> firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) return Optional.of(v.strip());
    }
    return Optional.empty();
  }

  private static String read(Path p) {
    if (!Files.isRegularFile(p)) return null;
    try {
      return Files.readString(p, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
