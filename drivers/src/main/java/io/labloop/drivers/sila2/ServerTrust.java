package io.labloop.drivers.sila2;

import io.labloop.drivers.support.RefusedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.X509TrustManager;

/**
 * Which SiLA 2 servers the driver trusts, kept as the OPC UA driver keeps its trust list:
 *
 * <pre>
 * trust-dir/trusted/certs/   server certificates (or the CAs that signed them) the engineer trusts
 * trust-dir/rejected/        certificates of servers that were refused: move one to trusted/certs
 * </pre>
 *
 * plus, optionally, one certificate file named in the lab file ({@code tls.certificate}). SiLA 2
 * servers usually bring a self-signed certificate, so trusting is an explicit act: a server is
 * trusted when its certificate is one of those, or chains to one of them. The folder is read again
 * on every connection, so a certificate moved into {@code trusted/certs} counts at the next try.
 */
final class ServerTrust implements X509TrustManager {

  private final Path trustDir;
  private final Optional<Path> extra;
  private volatile String lastRefusal;

  ServerTrust(Path trustDir, Optional<Path> extra) throws IOException {
    this.trustDir = trustDir;
    this.extra = extra;
    Files.createDirectories(trusted());
    Files.createDirectories(trustDir.resolve("rejected"));
  }

  Path trusted() {
    return trustDir.resolve("trusted").resolve("certs");
  }

  /** Why the last server certificate was refused, and how to trust it. */
  Optional<String> lastRefusal() {
    return Optional.ofNullable(lastRefusal);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    List<X509Certificate> anchors = trustedCertificates();
    X509Certificate server = chain[0];
    for (X509Certificate a : anchors) if (a.equals(server)) return;
    if (!anchors.isEmpty() && chains(chain, anchors)) return;
    lastRefusal = refuse(server);
    throw new CertificateException(lastRefusal);
  }

  private static boolean chains(X509Certificate[] chain, List<X509Certificate> anchors) {
    try {
      Set<TrustAnchor> set = new HashSet<>();
      for (X509Certificate a : anchors) set.add(new TrustAnchor(a, null));
      PKIXParameters params = new PKIXParameters(set);
      params.setRevocationEnabled(false);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(chain)), params);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private String refuse(X509Certificate server) {
    String subject = server.getSubjectX500Principal().getName();
    try {
      String thumb =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(server.getEncoded()));
      Path rejected = trustDir.resolve("rejected").resolve(thumb + ".der");
      RefusedCertificates.saveOnce(rejected, server.getEncoded());
      return "the SiLA 2 server's certificate '"
          + subject
          + "' (SHA-1 "
          + thumb
          + ") is not trusted. If this is your instrument's server, trust it: move "
          + rejected
          + " into "
          + trusted()
          + " and connect again";
    } catch (IOException | GeneralSecurityException e) {
      return "the SiLA 2 server's certificate '"
          + subject
          + "' is not trusted; copy it into "
          + trusted()
          + " to trust it";
    }
  }

  private List<X509Certificate> trustedCertificates() {
    List<X509Certificate> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(trusted())) {
      for (Path f : files) read(f, out);
    } catch (IOException e) {
      // an unreadable folder trusts nothing; the refusal says where to put the certificate
    }
    extra.ifPresent(f -> read(f, out));
    return out;
  }

  private static void read(Path file, List<X509Certificate> out) {
    if (!Files.isRegularFile(file)) return;
    try (InputStream in = Files.newInputStream(file)) {
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in))
        if (c instanceof X509Certificate x) out.add(x);
    } catch (IOException | GeneralSecurityException e) {
      // not a certificate (a README, a key): not trusted, not fatal
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client does not check clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trustedCertificates().toArray(X509Certificate[]::new);
  }
}
