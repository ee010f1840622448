package io.labloop.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a keystore configured the API speaks HTTPS, and only HTTPS. */
class ApiTlsTest {
  @TempDir Path dir;

  @Test
  void httpsWithTheConfiguredCertificateAndNoPlainHttp() throws Exception {
    Path keystore = dir.resolve("labloop.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "labloop",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "s3cret",
                "-keypass",
                "s3cret")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertEquals(
        true,
        keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
        "keytool made a keystore");

    try (ApiServer server =
        ApiServer.builder()
            .settings(
                new ApiServer.Settings(
                    "127.0.0.1", 0, Optional.of(new TlsSettings(keystore, "s3cret")), 4096, "test"))
            .campaigns(new FakeCampaignService())
            .tokens(Tokens.builder().token("alice", "t").build())
            .build()
            .start()) {
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      LabLoopClient client =
          new LabLoopClient(
              new ClientSettings(
                  URI.create("https://127.0.0.1:" + server.port()), Optional.of("t")),
              trusting);
      assertEquals("ok", client.health().get("status"));
      assertEquals("silver", client.submit("s.yaml", "campaign: silver\n").name());

      HttpClient plain = HttpClient.newHttpClient();
      try {
        HttpResponse<String> r =
            plain.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, r.statusCode(), "plain HTTP is not served");
      } catch (IOException refused) {
        // as good: the TLS port does not speak plain HTTP at all
      }
    }
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "s3cret".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
