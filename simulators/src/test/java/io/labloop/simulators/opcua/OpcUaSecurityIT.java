package io.labloop.simulators.opcua;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.TestLabs;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secured endpoints as an instrument offers them: Basic256Sha256 and Aes128_Sha256_RsaOaep, Sign
 * and SignAndEncrypt, username and password, and (on request) a trust list of client certificates.
 */
class OpcUaSecurityIT {

  @Test
  void onlyTheConfiguredUserOverAnEncryptedChannelGetsIn(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot");
    TestLabs.section(tree, "instruments", "robot")
        .put(
            "security",
            Map.of(
                "policy",
                "Basic256Sha256",
                "mode",
                "SignAndEncrypt",
                "username",
                "chemist",
                "password",
                "s3cret"));
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"))) {
      String url = lab.endpoint("robot").address();
      assertEquals(
          "Basic256Sha256/Sign,SignAndEncrypt", lab.endpoint("robot").details().get("security"));
      assertTrue(
          Files.exists(dir.resolve("work/pki/virtual-lab.pfx")),
          "self-signed certificate made on first start");

      try (OpcUaTestClient client =
          OpcUaTestClient.connect(url, SecurityPolicy.Basic256Sha256, "chemist", "s3cret", 5_000)) {
        var result =
            client.call("ns=2;s=Robot", "ns=2;s=Robot.Synthesize", 90.0, 15.0, 0.6, "ethanol");
        assertTrue(result.getStatusCode().isGood(), result.getStatusCode().toString());
      }
      assertThrows(
          Exception.class,
          () ->
              OpcUaTestClient.connect(url, SecurityPolicy.Basic256Sha256, "chemist", "wrong", 5_000)
                  .close(),
          "a wrong password is refused");
      assertThrows(
          Exception.class,
          () -> OpcUaTestClient.connect(url, SecurityPolicy.None, null, null, 5_000).close(),
          "no unsecured endpoint is offered for sessions");
    }
  }

  @Test
  void aes128Sha256RsaOaepIsOfferedWithSignAndWithSignAndEncrypt(@TempDir Path dir)
      throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot");
    TestLabs.section(tree, "instruments", "robot")
        .put(
            "security",
            Map.of(
                "policy",
                "Aes128_Sha256_RsaOaep",
                "mode",
                "Sign",
                "username",
                "chemist",
                "password",
                "s3cret"));
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"))) {
      String url = lab.endpoint("robot").address();
      assertEquals(
          "Aes128_Sha256_RsaOaep/Sign,SignAndEncrypt",
          lab.endpoint("robot").details().get("security"));
      for (MessageSecurityMode mode :
          List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
        try (OpcUaTestClient client =
            OpcUaTestClient.connect(
                url, SecurityPolicy.Aes128_Sha256_RsaOaep, mode, "chemist", "s3cret", 5_000)) {
          assertEquals(
              SecurityPolicy.Aes128_Sha256_RsaOaep.getUri(),
              client.endpoint().getSecurityPolicyUri());
          assertEquals(mode, client.endpoint().getSecurityMode());
          var result =
              client.call("ns=2;s=Robot", "ns=2;s=Robot.Synthesize", 90.0, 15.0, 0.6, "ethanol");
          assertTrue(result.getStatusCode().isGood(), mode + ": " + result.getStatusCode());
          assertEquals(
              "Idle",
              client.read("ns=2;s=Robot.State"),
              mode + ": the session reads variables too");
        }
      }
      assertThrows(
          Exception.class,
          () ->
              OpcUaTestClient.connect(
                      url, SecurityPolicy.Basic256Sha256, "chemist", "s3cret", 5_000)
                  .close(),
          "only the policy the lab names is offered");
      assertThrows(
          Exception.class,
          () ->
              OpcUaTestClient.connect(
                      url,
                      SecurityPolicy.Aes128_Sha256_RsaOaep,
                      MessageSecurityMode.Sign,
                      "chemist",
                      "wrong",
                      5_000)
                  .close(),
          "a wrong password is refused on a Sign endpoint too");
    }
  }

  @Test
  void withATrustListAnUnknownClientIsRefusedUntilItsCertificateIsTrusted(@TempDir Path dir)
      throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot");
    TestLabs.section(tree, "instruments", "robot")
        .put("security", Map.of("policy", "Aes128_Sha256_RsaOaep"));
    TestLabs.section(tree, "simulation").put("trust-clients", "trust-list");
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"))) {
      String url = lab.endpoint("robot").address();
      Path trusted = dir.resolve("work/pki/trusted/certs");
      assertEquals(trusted.toString(), lab.endpoint("robot").details().get("trusted-clients"));

      UaException refused =
          assertThrows(
              UaException.class,
              () ->
                  OpcUaTestClient.connect(
                          url, SecurityPolicy.Aes128_Sha256_RsaOaep, null, null, 5_000)
                      .close());
      assertEquals(
          StatusCodes.Bad_SecurityChecksFailed,
          refused.getStatusCode().getValue(),
          refused.toString());
      Path rejected;
      try (Stream<Path> files = Files.list(dir.resolve("work/pki/rejected"))) {
        rejected = files.filter(f -> f.toString().endsWith(".der")).findFirst().orElseThrow();
      }
      // What the server's administrator does: move the refused certificate into the trust list.
      Files.move(rejected, trusted.resolve(rejected.getFileName()));
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                try (OpcUaTestClient client =
                    OpcUaTestClient.connect(
                        url, SecurityPolicy.Aes128_Sha256_RsaOaep, null, null, 5_000)) {
                  assertTrue(
                      client
                          .call(
                              "ns=2;s=Robot", "ns=2;s=Robot.Synthesize", 90.0, 15.0, 0.6, "ethanol")
                          .getStatusCode()
                          .isGood());
                }
              });
    }
  }
}
