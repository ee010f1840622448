package io.labloop.simulators.opcua;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateGroup;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's application certificate: self-signed, made on first start and kept in a key store in
 * the lab's work folder ({@code pki/virtual-lab.pfx}) so that a client that trusted it once keeps
 * trusting it.
 *
 * <p>Which client certificates are accepted depends on the lab's {@code trust-clients}: by default
 * every one (the virtual lab is a test device, and a driver under test should not need a trust-list
 * ceremony to reach it); with {@code trust-list}, only those in {@code pki/trusted/certs}, as a
 * real server does. A refused certificate is saved as {@code pki/rejected/<SHA-1>.der} and the log
 * says to move it into {@code pki/trusted/certs}; the trust list is watched, so a move takes effect
 * without a restart.
 */
final class ServerCertificates implements Closeable {

  private static final Logger log = LoggerFactory.getLogger(ServerCertificates.class);

  static final String APPLICATION_URI = "urn:labloop:virtual-lab";

  /** Protects only a throw-away test certificate's key store in the work folder. */
  private static final char[] STORE_PASSWORD = "labloop-virtual-lab".toCharArray();

  final DefaultCertificateManager manager;
  final X509Certificate certificate;

  /** The folder of trusted client certificates, or null when every client is accepted. */
  final Path trustedClients;

  private final Closeable trustList;

  private ServerCertificates(
      DefaultCertificateManager manager,
      X509Certificate certificate,
      Path trustedClients,
      Closeable trustList) {
    this.manager = manager;
    this.certificate = certificate;
    this.trustedClients = trustedClients;
    this.trustList = trustList;
  }

  /**
   * Loads (or makes) the server certificate.
   *
   * @param trustListOnly accept only the client certificates in {@code pkiDir/trusted/certs}
   */
  static synchronized ServerCertificates load(Path pkiDir, String hostname, boolean trustListOnly)
      throws Exception {
    // synchronized: servers of one lab start side by side and share pkiDir; the first makes the key
    // store, the others read it whole
    Files.createDirectories(pkiDir);
    var store =
        KeyStoreCertificateStore.createAndInitialize(
            new KeyStoreCertificateStore.Settings(
                pkiDir.resolve("virtual-lab.pfx"),
                () -> STORE_PASSWORD.clone(),
                alias -> STORE_PASSWORD.clone()));
    var factory =
        new RsaSha256CertificateFactory() {
          @Override
          protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair)
              throws Exception {
            X509Certificate cert =
                new SelfSignedCertificateBuilder(keyPair)
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
    var quarantine = new MemoryCertificateQuarantine();
    TrustListManager trust;
    CertificateValidator validator;
    Path trustedClients = null;
    if (trustListOnly) {
      FileBasedTrustListManager files = FileBasedTrustListManager.createAndInitialize(pkiDir);
      trust = files;
      trustedClients = pkiDir.resolve("trusted").resolve("certs");
      validator =
          new RejectionReport(
              new DefaultServerCertificateValidator(files, quarantine),
              Files.createDirectories(pkiDir.resolve("rejected")),
              trustedClients);
    } else {
      trust = new MemoryTrustListManager();
      validator = (chain, applicationUri, hostnames) -> {};
    }
    var group = DefaultApplicationGroup.createAndInitialize(trust, store, factory, validator);
    X509Certificate certificate = null;
    for (CertificateGroup.Entry e : group.getCertificateEntries()) {
      certificate = e.certificateChain[0];
    }
    if (certificate == null) {
      throw new IllegalStateException("no server certificate could be made in " + pkiDir);
    }
    return new ServerCertificates(
        new DefaultCertificateManager(quarantine, group),
        certificate,
        trustedClients,
        trust instanceof Closeable c ? c : () -> {});
  }

  /** Stops watching the trust list folder. */
  @Override
  public void close() throws IOException {
    trustList.close();
  }

  /**
   * Milo's validator, plus what a server administrator needs when a client is refused: the
   * certificate saved under a name that identifies it and a log line saying where to move it.
   */
  private record RejectionReport(CertificateValidator delegate, Path rejected, Path trusted)
      implements CertificateValidator {
    @Override
    public void validateCertificateChain(
        List<X509Certificate> chain, String applicationUri, String... validHostNames)
        throws UaException {
      try {
        delegate.validateCertificateChain(chain, applicationUri, validHostNames);
      } catch (UaException e) {
        X509Certificate client = chain.get(0);
        try {
          String thumb =
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-1").digest(client.getEncoded()));
          Path file = rejected.resolve(thumb + ".der");
          saveOnce(file, client.getEncoded());
          log.warn(
              "refused the client certificate '{}' ({}): not in the trust list. To trust it, move {} into {}",
              client.getSubjectX500Principal().getName(),
              e.getStatusCode(),
              file,
              trusted);
        } catch (Exception io) {
          log.warn(
              "refused the client certificate '{}' ({}); it could not be saved: {}",
              client.getSubjectX500Principal().getName(),
              e.getStatusCode(),
              io.toString());
        }
        throw e;
      }
    }
  }

  /**
   * A client retries, so the same refusal repeats while an administrator (or a test) may be moving
   * the file into the trust list: write it only once, and atomically, so nobody ever sees half a
   * certificate.
   */
  private static void saveOnce(Path file, byte[] content) throws java.io.IOException {
    if (Files.exists(file)) return;
    Path part = Files.createTempFile(file.toAbsolutePath().getParent(), ".refused", ".part");
    try {
      Files.write(part, content);
      Files.move(part, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      if (!Files.exists(file)) throw e;
    } finally {
      Files.deleteIfExists(part);
    }
  }
}
