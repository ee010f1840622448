package io.labloop.drivers.opcua;

import io.labloop.drivers.support.RefusedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own certificate and the list of servers it trusts, in one folder:
 *
 * <pre>
 * trust-dir/client.p12        LabLoop's application certificate and key, created on first use
 * trust-dir/client.der        the same certificate without its key: what a server's administrator trusts
 * trust-dir/trusted/certs/    server certificates the engineer trusts (DER or PEM .der/.crt files)
 * trust-dir/rejected/         certificates of servers that were refused, to move to trusted/certs
 * </pre>
 */
final class OpcUaPki {

  static final String APPLICATION_URI = "urn:io.labloop:client";

  private static final Logger log = LoggerFactory.getLogger(OpcUaPki.class);
  // The key store protects nothing the file permissions do not: the password only satisfies
  // PKCS#12.
  private static final char[] STORE_PASSWORD = "labloop".toCharArray();
  private static final String ALIAS = "labloop-client";

  private OpcUaPki() {}

  record Identity(KeyPair keyPair, X509Certificate certificate) {}

  /** Loads the client certificate, creating a self-signed one on first use. */
  static synchronized Identity identity(Path trustDir) throws Exception {
    Path file = trustDir.resolve("client.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, STORE_PASSWORD);
      }
      X509Certificate cert = (X509Certificate) store.getCertificate(ALIAS);
      PrivateKey key = (PrivateKey) store.getKey(ALIAS, STORE_PASSWORD);
      if (!Files.exists(certificateFile(trustDir)))
        Files.write(certificateFile(trustDir), cert.getEncoded());
      return new Identity(new KeyPair(cert.getPublicKey(), key), cert);
    }
    Files.createDirectories(trustDir);
    KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    SelfSignedCertificateBuilder builder =
        new SelfSignedCertificateBuilder(pair)
            .setCommonName("LabLoop")
            .setOrganization("LabLoop")
            .setApplicationUri(APPLICATION_URI)
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1");
    try {
      builder.addDnsName(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // a machine without a resolvable host name still gets a usable certificate
    }
    X509Certificate cert = builder.build();
    store.load(null, STORE_PASSWORD);
    store.setKeyEntry(ALIAS, pair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, STORE_PASSWORD);
    }
    Files.write(certificateFile(trustDir), cert.getEncoded());
    log.info(
        "created the OPC UA client certificate {} (a server that keeps a trust list must trust {})",
        file,
        certificateFile(trustDir));
    return new Identity(pair, cert);
  }

  /** LabLoop's certificate alone (DER, no key): the file to give a server's administrator. */
  static Path certificateFile(Path trustDir) {
    return trustDir.resolve("client.der");
  }

  /**
   * The SHA-1 thumbprint OPC UA tools show for a certificate, so an administrator can tell it is
   * the right one.
   */
  static String thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    } catch (Exception e) {
      return "unknown";
    }
  }

  /**
   * Validates server certificates against {@code trust-dir/trusted}; remembers the last refusal for
   * the error message.
   */
  static TrustingValidator validator(Path trustDir) throws IOException {
    FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(trustDir);
    Files.createDirectories(trustDir.resolve("rejected"));
    var quarantine =
        FileBasedCertificateQuarantine.create(trustDir.resolve("rejected").resolve(".milo"));
    return new TrustingValidator(
        trustDir, new DefaultClientCertificateValidator(trustList, quarantine));
  }

  /**
   * Milo's validator, plus a copy of each refused certificate and a message that says how to trust
   * it.
   */
  static final class TrustingValidator implements CertificateValidator {
    private final Path trustDir;
    private final CertificateValidator delegate;
    private volatile String lastRefusal;

    TrustingValidator(Path trustDir, CertificateValidator delegate) {
      this.trustDir = trustDir;
      this.delegate = delegate;
    }

    @Override
    public void validateCertificateChain(
        List<X509Certificate> chain, String applicationUri, String... validHostNames)
        throws UaException {
      try {
        delegate.validateCertificateChain(chain, applicationUri, validHostNames);
      } catch (UaException e) {
        X509Certificate server = chain.get(0);
        lastRefusal = refusal(server, e);
        throw e;
      }
    }

    Optional<String> lastRefusal() {
      return Optional.ofNullable(lastRefusal);
    }

    private String refusal(X509Certificate server, UaException e) {
      String subject = server.getSubjectX500Principal().getName();
      try {
        String thumb = thumbprint(server);
        Path rejected = trustDir.resolve("rejected").resolve(thumb + ".der");
        RefusedCertificates.saveOnce(rejected, server.getEncoded());
        return "the server's certificate '"
            + subject
            + "' (SHA-1 "
            + thumb
            + ") is not trusted ("
            + OpcUaValues.describe(e.getStatusCode())
            + "). If this is your instrument's server, trust it: move "
            + rejected
            + " into "
            + trustDir.resolve("trusted").resolve("certs")
            + " and connect again";
      } catch (Exception io) {
        return "the server's certificate '"
            + subject
            + "' is not trusted ("
            + OpcUaValues.describe(e.getStatusCode())
            + "); copy it into "
            + trustDir.resolve("trusted").resolve("certs")
            + " to trust it";
      }
    }
  }
}
