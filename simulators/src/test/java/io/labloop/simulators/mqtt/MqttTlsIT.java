package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.TestLabs;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.world.Sample;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker on an {@code ssl://} address: a TLS listener with the lab's own certificate,
 * checked with plain Paho.
 */
class MqttTlsIT {

  /** Trusts exactly the certificate in a PEM file, as a client configured for one broker does. */
  static SSLSocketFactory trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
      trust.setCertificateEntry("broker", c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  @Test
  void anSslBrokerSpeaksTlsWithACertificateClientsCanTrust(@TempDir Path dir) throws Exception {
    Map<String, Object> tree = TestLabs.tree(dir, "xrd");
    TestLabs.section(tree, "instruments", "xrd").put("broker", "ssl://127.0.0.1:0");
    try (VirtualLab lab = VirtualLab.start(tree, dir, dir.resolve("work"))) {
      String address = lab.endpoint("xrd").address();
      assertTrue(address.startsWith("ssl://127.0.0.1:"), address);
      Path pem = dir.resolve("work/cert/mqtt-broker.pem");
      assertEquals(
          pem.toString(),
          lab.endpoint("xrd").details().get("tls-ca"),
          "the lab says which certificate to trust");
      assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));

      // Trusting the lab's certificate (host name checked, as Paho does by default):
      // request/response works.
      Sample s =
          lab.world()
              .synthesize(
                  Map.of(
                      "temperature",
                      150.0,
                      "time",
                      30.0,
                      "concentration",
                      0.5,
                      "solvent",
                      "water"));
      try (MqttTestClient client = new MqttTestClient(address, trusting(pem))) {
        Map<String, Object> reply = client.requestJson("lab/xrd/scan", Map.of("sample", s.id()));
        assertNotNull(reply, "an answer over TLS");
        assertEquals(
            s.truth().get("crystallinity"),
            ((Number) reply.get("crystallinity")).doubleValue(),
            5 * 0.01);
      }

      // A client that trusts only the JVM's certificate authorities refuses the handshake.
      MqttException untrusted =
          assertThrows(MqttException.class, () -> new MqttTestClient(address).close());
      assertInstanceOf(
          SSLHandshakeException.class, untrusted.getCause(), String.valueOf(untrusted.getCause()));

      // And the port speaks no plain MQTT.
      int port = URI.create(address).getPort();
      assertThrows(
          MqttException.class, () -> new MqttTestClient("tcp://127.0.0.1:" + port).close());
    }
  }
}
