package io.labloop.drivers.mqtt;

import io.labloop.common.Errors;
import io.labloop.drivers.support.RefusedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which broker certificates an {@code ssl://} connection accepts, and what the engineer is told
 * when one is refused.
 *
 * <p>Trust comes from {@code tls.ca} (exactly the certificates in that PEM file) or, without it,
 * from the JVM's trust store. The check itself is the JVM's (chain to a trusted certificate,
 * validity, and the broker's host name, which Paho asks for); this class only watches it: when the
 * broker's certificate is refused, it saves the certificate as {@code
 * <folder>/untrusted/<SHA-256>.pem} and keeps a message that names the broker, the certificate's
 * subject and fingerprint, and the setting that trusts it. Nothing is sent on a connection whose
 * handshake failed, so a refused broker never sees a request.
 */
final class BrokerTrust {

  private final String broker;
  private final Optional<Path> caFile;
  private final Path untrusted;
  private volatile String lastRefusal;

  /**
   * @param folder where a refused certificate is saved (under {@code untrusted/})
   */
  BrokerTrust(String broker, Optional<Path> caFile, Path folder) {
    this.broker = broker;
    this.caFile = caFile;
    this.untrusted = folder.resolve("untrusted");
  }

  /**
   * The message of the last refusal since the last successful handshake or {@link #forget()}, if
   * any.
   */
  Optional<String> lastRefusal() {
    return Optional.ofNullable(lastRefusal);
  }

  /** Before a new attempt: a refusal seen earlier says nothing about why this one may fail. */
  void forget() {
    lastRefusal = null;
  }

  SSLSocketFactory socketFactory() throws IOException {
    try {
      KeyStore trusted = null;
      if (caFile.isPresent()) {
        trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile.get())) {
          int i = 0;
          for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            trusted.setCertificateEntry("ca" + i++, c);
          }
          if (i == 0)
            throw new GeneralSecurityException(
                "no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted); // null: the JVM's trust store
      X509ExtendedTrustManager jvm = null;
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) jvm = x;
      }
      if (jvm == null) throw new GeneralSecurityException("the JVM offers no X.509 trust manager");
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Watching(jvm)}, null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      String where =
          caFile
              .map(f -> "the TLS trust file '" + f + "' (tls.ca)")
              .orElse("the JVM's trust store");
      throw new IOException("cannot use " + where + ": " + e.getMessage(), e);
    }
  }

  private void refused(X509Certificate[] chain, CertificateException e) {
    if (chain == null || chain.length == 0) {
      lastRefusal = "the broker " + broker + " sent no certificate (" + e.getMessage() + ")";
      return;
    }
    X509Certificate server = chain[0];
    String subject = server.getSubjectX500Principal().getName();
    String reason = Errors.rootMessage(e);
    String how =
        reason.contains("subject alternative name") || reason.contains("No name matching")
            ? "it does not name the host of the broker URL (it was made for another address)"
            : caFile
                .map(f -> "it is not among the certificates of tls.ca (" + f + ")")
                .orElse(
                    "it is not signed by a certificate authority the JVM trusts, and the instrument gives no tls.ca");
    String fingerprint;
    String saved;
    try {
      fingerprint =
          HexFormat.ofDelimiter(":")
              .withUpperCase()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(server.getEncoded()));
      Path file = untrusted.resolve(fingerprint.replace(":", "").toLowerCase() + ".pem");
      StringBuilder pem = new StringBuilder();
      for (X509Certificate c : chain) {
        pem.append("-----BEGIN CERTIFICATE-----\n")
            .append(
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(c.getEncoded()))
            .append("\n-----END CERTIFICATE-----\n");
      }
      RefusedCertificates.saveOnce(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
      saved =
          "It was saved as "
              + file
              + ": if that is your broker's certificate (compare the fingerprint with the one"
              + " its administrator gives you), trust it with tls: { ca: "
              + file
              + " } in the instrument's section, or set"
              + " tls.ca to the certificate of the authority that signed it";
    } catch (IOException | GeneralSecurityException io) {
      fingerprint = "unknown";
      saved =
          "Trust it with tls: { ca: FILE } in the instrument's section, FILE being the broker's certificate (PEM)"
              + " or that of the authority that signed it";
    }
    lastRefusal =
        "the broker "
            + broker
            + " presented a certificate LabLoop does not trust ('"
            + subject
            + "', SHA-256 "
            + fingerprint
            + "): "
            + how
            + " ("
            + reason
            + "). "
            + saved;
  }

  /** The JVM's trust manager, watched: a refusal is recorded, a success clears the last one. */
  private final class Watching extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager jvm;

    Watching(X509ExtendedTrustManager jvm) {
      this.jvm = jvm;
    }

    private interface Check {
      void run() throws CertificateException;
    }

    private void watch(X509Certificate[] chain, Check check) throws CertificateException {
      try {
        check.run();
        lastRefusal = null;
      } catch (CertificateException e) {
        refused(chain, e);
        throw e;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      watch(chain, () -> jvm.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      watch(chain, () -> jvm.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      watch(chain, () -> jvm.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      jvm.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      jvm.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      jvm.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return jvm.getAcceptedIssuers();
    }
  }
}
