package io.labloop.orchestrator.agent;

import io.labloop.common.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * MQTT 5 connection options for agents and daemons ({@link BrokerSettings}), and a connection
 * failure told in the engineer's terms: which of user name, password, the broker's certificate or
 * this client's certificate the broker or the TLS handshake refused.
 */
final class BrokerConnection {

  private BrokerConnection() {}

  static MqttConnectionOptions options(BrokerSettings s) throws IOException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, 5);
    o.setCleanStart(true);
    o.setConnectionTimeout(10);
    o.setKeepAliveInterval(10);
    s.username().ifPresent(o::setUserName);
    s.password().ifPresent(p -> o.setPassword(p.getBytes(StandardCharsets.UTF_8)));
    if (s.url().startsWith("ssl://")) o.setSocketFactory(tls(s).getSocketFactory());
    else o.setSocketFactory(new NoDelaySockets());
    return o;
  }

  private static SSLContext tls(BrokerSettings s) throws IOException {
    try {
      KeyStore trusted = null;
      if (s.ca().isPresent()) {
        trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int i = 0;
        for (Certificate c : certificates(s.ca().get())) trusted.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      KeyManagerFactory kmf = null;
      if (s.clientCertificate().isPresent()) {
        KeyStore mine = KeyStore.getInstance("PKCS12");
        mine.load(null, null);
        char[] none = new char[0];
        mine.setKeyEntry(
            "client",
            privateKey(s.clientKey().orElseThrow()),
            none,
            certificates(s.clientCertificate().get()).toArray(Certificate[]::new));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(mine, none);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS for " + s.url() + ": " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<Certificate> all =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (all.isEmpty())
        throw new IOException(pem + ": no certificate in it (expected PEM certificates)");
      return all;
    }
  }

  /** An unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin)
      throw new IOException(
          pem
              + ": expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert with"
              + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    byte[] der =
        Base64.getMimeDecoder()
            .decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new IOException(pem + ": not an RSA, EC or Ed25519 key", last);
  }

  /**
   * Why connecting to {@code s.url()} as {@code who} failed, saying which credential was refused.
   */
  static String describe(BrokerSettings s, String who, Throwable e) {
    String user = s.username().map(u -> "user '" + u + "'").orElse("no user name");
    Throwable handshake = e;
    while (handshake != null && !(handshake instanceof SSLHandshakeException))
      handshake = handshake.getCause();
    if (handshake != null) {
      String m = String.valueOf(handshake.getMessage());
      // "PKIX path building failed: sun.security...Exception: unable to find valid ..." -> the end
      int inner = m.lastIndexOf("Exception: ");
      if (inner >= 0) m = m.substring(inner + "Exception: ".length());
      if (m.contains("PKIX")
          || m.contains("certification path")
          || m.contains("No name matching")
          || m.contains("subject alternative"))
        return who
            + ": the broker "
            + s.url()
            + " presented a certificate this PC does not trust (wrong broker certificate; check"
            + " the CA file "
            + s.ca().map(Path::toString).orElse("(none given: the JVM's trust store)")
            + "): "
            + m;
      return who
          + ": the broker "
          + s.url()
          + " refused this PC's TLS client certificate "
          + s.clientCertificate()
              .map(c -> "'" + c + "'")
              .orElse("(none was given, and the broker asks for one)")
          + " (wrong client certificate): "
          + m;
    }
    // TLS 1.3: the client's side of the handshake ends before the broker checks the client's
    // certificate, so a refused certificate shows up as an alert, or as the broker closing the
    // connection (broken pipe, reset, end of stream) before it answered the MQTT CONNECT.
    if (s.url().startsWith("ssl://") && closedAfterHandshake(e))
      return who
          + ": the broker "
          + s.url()
          + " refused this PC's TLS client certificate "
          + s.clientCertificate()
              .map(c -> "'" + c + "'")
              .orElse("(none was given, and the broker may ask for one)")
          + " (it closed the connection after the TLS handshake; check that the certificate is"
          + " signed by the CA the broker trusts, its cafile, and has not expired): "
          + Errors.rootMessage(e);
    if (e instanceof MqttException m) {
      return switch (m.getReasonCode()) {
        case 134, 4 ->
            who
                + ": the broker "
                + s.url()
                + " refused "
                + user
                + ": wrong user name or password (reason code "
                + m.getReasonCode()
                + ")";
        // Mosquitto 2 answers a wrong password (and an unknown user) with 135, not 134.
        case 135, 5 ->
            who
                + ": the broker "
                + s.url()
                + " refused "
                + user
                + ": not authorized (reason code "
                + m.getReasonCode()
                + "): wrong user name or password, or a user the broker does not let in";
        default -> who + ": cannot connect to broker " + s.url() + ": " + Errors.rootMessage(e);
      };
    }
    return who + ": cannot connect to broker " + s.url() + ": " + Errors.rootMessage(e);
  }

  /**
   * Whether the broker ended a TLS connection after the handshake: a TLS alert about a certificate,
   * or the connection broken or closed, but not refused (nobody listening).
   */
  private static boolean closedAfterHandshake(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException)
        return false;
      String m = String.valueOf(t.getMessage());
      if (t instanceof javax.net.ssl.SSLException
          && (m.contains("certificate") || m.contains("unknown_ca") || m.contains("alert")))
        return true;
      if (t instanceof java.io.EOFException
          || (t instanceof java.net.SocketException
              && (m.contains("Broken pipe") || m.contains("Connection reset")))) return true;
    }
    return false;
  }
}
