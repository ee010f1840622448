package io.labloop.simulators.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's TLS certificate: self-signed, made on first start and kept in the work
 * folder ({@code cert/mqtt-broker.p12} with its key, for the broker; {@code cert/mqtt-broker.pem}
 * without, for clients to trust), like the OPC UA server's certificate, so that a client that
 * trusted it once keeps trusting it. It names the broker's host (and localhost, 127.0.0.1, ::1) so
 * that clients that check host names accept it; a host it does not name yet gets a new one.
 */
final class BrokerCertificate {

  private static final Logger log = LoggerFactory.getLogger(BrokerCertificate.class);

  /** Protects only a throw-away test certificate's key store in the work folder. */
  static final String STORE_PASSWORD = "labloop-virtual-lab";

  private static final String ALIAS = "mqtt-broker";

  final Path keyStore;
  final Path pem;
  final X509Certificate certificate;

  private BrokerCertificate(Path keyStore, Path pem, X509Certificate certificate) {
    this.keyStore = keyStore;
    this.pem = pem;
    this.certificate = certificate;
  }

  static synchronized BrokerCertificate load(Path workDir, String host)
      throws IOException, GeneralSecurityException {
    Path folder = Files.createDirectories(workDir.resolve("cert"));
    Path keyStore = folder.resolve("mqtt-broker.p12");
    Path pem = folder.resolve("mqtt-broker.pem");
    if (Files.exists(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        store.load(in, STORE_PASSWORD.toCharArray());
      }
      X509Certificate existing = (X509Certificate) store.getCertificate(ALIAS);
      if (existing != null && names(existing, host) && existing.getNotAfter().after(new Date())) {
        if (!Files.exists(pem)) {
          writePem(existing, pem);
        }
        return new BrokerCertificate(keyStore, pem, existing);
      }
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate = selfSigned(pair, host);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        ALIAS,
        pair.getPrivate(),
        STORE_PASSWORD.toCharArray(),
        new X509Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(keyStore)) {
      store.store(out, STORE_PASSWORD.toCharArray());
    }
    writePem(certificate, pem);
    log.info(
        "created the virtual lab's MQTT broker certificate {} (clients trust {})", keyStore, pem);
    return new BrokerCertificate(keyStore, pem, certificate);
  }

  private static X509Certificate selfSigned(KeyPair pair, String host)
      throws GeneralSecurityException, IOException {
    // Written in ASN.1 order; Java shows it reversed, as "CN=LabLoop virtual lab MQTT
    // broker,O=LabLoop".
    X500Name name = new X500Name("O=LabLoop,CN=LabLoop virtual lab MQTT broker");
    Instant now = Instant.now();
    List<GeneralName> altNames = new ArrayList<>();
    altNames.add(new GeneralName(GeneralName.dNSName, "localhost"));
    altNames.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    altNames.add(new GeneralName(GeneralName.iPAddress, "::1"));
    if (isIpAddress(host)) {
      altNames.add(
          new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress()));
    } else {
      altNames.add(new GeneralName(GeneralName.dNSName, host));
    }
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(5 * 365))),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(altNames.toArray(GeneralName[]::new)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    try {
      var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(
          "cannot sign the broker certificate: " + e.getMessage(), e);
    }
  }

  /** Whether the certificate names {@code host} among its subject alternative names. */
  private static boolean names(X509Certificate certificate, String host)
      throws GeneralSecurityException {
    Collection<List<?>> altNames = certificate.getSubjectAlternativeNames();
    if (altNames == null) {
      return false;
    }
    String wanted = host;
    try {
      if (isIpAddress(host)) {
        wanted = InetAddress.getByName(host).getHostAddress();
      }
    } catch (IOException e) {
      return false;
    }
    for (List<?> entry : altNames) {
      Object value = entry.get(1);
      if (value instanceof String s) {
        String normalized = s;
        try {
          if (isIpAddress(s)) {
            normalized = InetAddress.getByName(s).getHostAddress();
          }
        } catch (IOException e) {
          continue;
        }
        if (normalized.equalsIgnoreCase(wanted)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isIpAddress(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
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
