package io.labloop.simulators.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.TestLabs;
import io.labloop.simulators.VirtualLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic256Sha256 SignAndEncrypt with a username and password, as a secured instrument offers it. */
class OpcUaSecurityIT {

  @Test
  void onlyTheConfiguredUserOverAnEncryptedChannelGetsIn(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "robot");
    TestLabs.section(tree, "instruments", "robot").put("security",
        Map.of("policy", "Basic256Sha256", "mode", "SignAndEncrypt", "username", "chemist", "password", "s3cret"));
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"))) {
      String url = lab.endpoint("robot").address();
      assertEquals("Basic256Sha256/SignAndEncrypt", lab.endpoint("robot").details().get("security"));
      assertTrue(Files.exists(dir.resolve("work/pki/virtual-lab.pfx")), "self-signed certificate made on first start");

      try (OpcUaTestClient client = OpcUaTestClient.connect(url, SecurityPolicy.Basic256Sha256, "chemist", "s3cret", 5_000)) {
        var result = client.call("ns=2;s=Robot", "ns=2;s=Robot.Synthesize", 90.0, 15.0, 0.6, "ethanol");
        assertTrue(result.getStatusCode().isGood(), result.getStatusCode().toString());
      }
      assertThrows(Exception.class,
          () -> OpcUaTestClient.connect(url, SecurityPolicy.Basic256Sha256, "chemist", "wrong", 5_000).close(),
          "a wrong password is refused");
      assertThrows(Exception.class,
          () -> OpcUaTestClient.connect(url, SecurityPolicy.None, null, null, 5_000).close(),
          "no unsecured endpoint is offered for sessions");
    }
  }
}
