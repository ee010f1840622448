package io.labloop.simulators.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCertificateTest {

  @Test
  void madeOnceAndKeptSoThatAClientThatTrustedItKeepsTrustingIt(@TempDir Path work)
      throws Exception {
    BrokerCertificate first = BrokerCertificate.load(work, "127.0.0.1");
    byte[] pem = Files.readAllBytes(work.resolve("cert/mqtt-broker.pem"));
    assertEquals(work.resolve("cert/mqtt-broker.pem"), first.pem);
    assertTrue(
        first.certificate.getSubjectAlternativeNames().contains(List.of(7, "127.0.0.1")),
        "names the loopback address clients connect to: "
            + first.certificate.getSubjectAlternativeNames());

    BrokerCertificate again = BrokerCertificate.load(work, "127.0.0.1");
    assertEquals(first.certificate, again.certificate);
    assertArrayEquals(pem, Files.readAllBytes(work.resolve("cert/mqtt-broker.pem")));
  }

  @Test
  void aHostTheCertificateDoesNotNameGetsANewOne(@TempDir Path work) throws Exception {
    BrokerCertificate loopback = BrokerCertificate.load(work, "127.0.0.1");
    BrokerCertificate named = BrokerCertificate.load(work, "lab-pc.example");
    assertNotEquals(loopback.certificate, named.certificate);
    assertTrue(
        named.certificate.getSubjectAlternativeNames().contains(List.of(2, "lab-pc.example")));
    assertEquals(named.certificate, BrokerCertificate.load(work, "lab-pc.example").certificate);
  }
}
