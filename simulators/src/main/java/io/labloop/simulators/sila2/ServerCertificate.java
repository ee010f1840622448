package io.labloop.simulators.sila2;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SiLA 2 server's TLS certificate: self-signed (SiLA 2 lets a server bring its own), made on
 * first start and kept in the lab's work folder ({@code cert/sila2-<instrument>.p12} with its key;
 * {@code cert/sila2-<instrument>.pem} without, for clients to trust), so a client that trusted it
 * once keeps trusting it. It names localhost, 127.0.0.1 and ::1, where the virtual lab serves, and,
 * for a server found by discovery, the address it announces (a certificate kept from before that
 * does not name it is made again).
 */
final class ServerCertificate {

  private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

  /** Protects only a throw-away test certificate's key store in the work folder. */
  private static final char[] STORE_PASSWORD = "labloop-virtual-lab".toCharArray();

  private static final String ALIAS = "sila2-server";

  final Path pem;
  final X509Certificate certificate;
  private final KeyStore store;

  private ServerCertificate(Path pem, X509Certificate certificate, KeyStore store) {
    this.pem = pem;
    this.certificate = certificate;
    this.store = store;
  }

  static synchronized ServerCertificate load(Path workDir, String instrument)
      throws IOException, GeneralSecurityException {
    return load(workDir, instrument, List.of());
  }

  /**
   * @param addresses further IP addresses the certificate names (where the server is announced)
   */
  static synchronized ServerCertificate load(
      Path workDir, String instrument, List<String> addresses)
      throws IOException, GeneralSecurityException {
    Path folder = Files.createDirectories(workDir.resolve("cert"));
    Path keyStore = folder.resolve("sila2-" + instrument + ".p12");
    Path pem = folder.resolve("sila2-" + instrument + ".pem");
    KeyStore store = KeyStore.getInstance("PKCS12");
    if (Files.exists(keyStore)) {
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, STORE_PASSWORD);
      }
      X509Certificate existing = (X509Certificate) store.getCertificate(ALIAS);
      if (existing != null
          && existing.getNotAfter().after(new Date())
          && names(existing).containsAll(addresses)) {
        if (!Files.exists(pem)) writePem(existing, pem);
        return new ServerCertificate(pem, existing, store);
      }
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate = selfSigned(pair, instrument, addresses);
    store.load(null, null);
    store.setKeyEntry(
        ALIAS, pair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(keyStore)) {
      store.store(out, STORE_PASSWORD);
    }
    writePem(certificate, pem);
    log.info("created the SiLA 2 server certificate {} (clients trust {})", keyStore, pem);
    return new ServerCertificate(pem, certificate, store);
  }

  KeyManager[] keyManagers() throws GeneralSecurityException {
    KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    f.init(store, STORE_PASSWORD);
    return f.getKeyManagers();
  }

  /** The names in the certificate's subject alternative names. */
  private static List<String> names(X509Certificate c) throws GeneralSecurityException {
    List<String> out = new ArrayList<>();
    Collection<List<?>> all = c.getSubjectAlternativeNames();
    if (all != null) for (List<?> n : all) out.add(String.valueOf(n.get(1)));
    return out;
  }

  private static X509Certificate selfSigned(KeyPair pair, String instrument, List<String> addresses)
      throws GeneralSecurityException {
    X500Name name = new X500Name("O=LabLoop,CN=LabLoop virtual lab SiLA 2 server " + instrument);
    Instant now = Instant.now();
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(5 * 365))),
            name,
            pair.getPublic());
    try {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans(addresses).toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException("cannot make the SiLA 2 server certificate", e);
    }
  }

  private static List<GeneralName> sans(List<String> addresses) {
    List<GeneralName> sans = new ArrayList<>();
    sans.add(new GeneralName(GeneralName.dNSName, "localhost"));
    sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
    for (String a : addresses) sans.add(new GeneralName(GeneralName.iPAddress, a));
    return sans;
  }

  private static void writePem(X509Certificate certificate, Path pem)
      throws IOException, GeneralSecurityException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded());
    Files.writeString(
        pem,
        "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n",
        StandardCharsets.US_ASCII);
  }
}
