package io.labloop.simulators.opcua;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Period;
import org.eclipse.milo.opcua.stack.core.security.CertificateGroup;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/**
 * The server's application certificate: self-signed, made on first start and kept in a key store
 * in the lab's work folder ({@code pki/virtual-lab.pfx}) so that a client that trusted it once
 * keeps trusting it.
 *
 * <p>Client certificates are all accepted: the virtual lab is a test device, and a driver under
 * test should not need a trust-list ceremony to reach it. (A real instrument would check them;
 * the drivers' side of trust is tested against this server's certificate.)
 */
final class ServerCertificates {

  static final String APPLICATION_URI = "urn:labloop:virtual-lab";
  /** Protects only a throw-away test certificate's key store in the work folder. */
  private static final char[] STORE_PASSWORD = "labloop-virtual-lab".toCharArray();

  final DefaultCertificateManager manager;
  final X509Certificate certificate;

  private ServerCertificates(DefaultCertificateManager manager, X509Certificate certificate) {
    this.manager = manager;
    this.certificate = certificate;
  }

  static ServerCertificates load(Path pkiDir, String hostname) throws Exception {
    Files.createDirectories(pkiDir);
    var store = KeyStoreCertificateStore.createAndInitialize(new KeyStoreCertificateStore.Settings(
        pkiDir.resolve("virtual-lab.pfx"), () -> STORE_PASSWORD.clone(), alias -> STORE_PASSWORD.clone()));
    var factory = new RsaSha256CertificateFactory() {
      @Override
      protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
        X509Certificate cert = new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("LabLoop virtual lab")
            .setOrganization("LabLoop")
            .setApplicationUri(APPLICATION_URI)
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .addDnsName(hostname)
            .setValidityPeriod(Period.ofYears(5))
            .build();
        return new X509Certificate[] {cert};
      }
    };
    CertificateValidator acceptAll = (chain, applicationUri, hostnames) -> { };
    var quarantine = new MemoryCertificateQuarantine();
    var group = DefaultApplicationGroup.createAndInitialize(new MemoryTrustListManager(), store, factory, acceptAll);
    X509Certificate certificate = null;
    for (CertificateGroup.Entry e : group.getCertificateEntries()) {
      certificate = e.certificateChain[0];
    }
    if (certificate == null) {
      throw new IllegalStateException("no server certificate could be made in " + pkiDir);
    }
    return new ServerCertificates(new DefaultCertificateManager(quarantine, group), certificate);
  }
}
