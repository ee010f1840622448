package io.labloop.orchestrator.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented TLS listener of {@code config/mosquitto/mosquitto.conf} ({@code cafile}, {@code
 * certfile}, {@code keyfile}, {@code require_certificate true}) with Debian's Mosquitto 2 as a
 * child process, certificates made here with BouncyCastle (a lab CA, the broker's certificate for
 * 127.0.0.1 and localhost, client certificates from the lab CA and from a stranger's CA), and
 * {@code labloop agent} as a real child process: an agent that trusts another CA than the broker's
 * is refused with a line saying the broker's certificate is not trusted and which CA file to check;
 * an agent whose client certificate the broker does not know is refused with a line saying the
 * broker refused the client certificate; the right CA and certificate come online. Skipped where
 * Mosquitto is not installed.
 */
class MosquittoAgentTlsIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private Process mosquitto;
  private int port;

  /** The lab's CA and a stranger's, each a key pair and its self-signed certificate. */
  private Pem labCa, otherCa;

  @BeforeEach
  void startMosquitto() throws Exception {
    Assumptions.assumeTrue(
        Mosquitto.installed(),
        "Mosquitto 2 is not installed (/usr/sbin/mosquitto): apt install mosquitto");
    labCa = ca("labca", "LabLoop test lab CA");
    otherCa = ca("otherca", "Somebody else's CA");
    Pem broker = signed(labCa, "broker", "127.0.0.1", true);
    signed(labCa, "spectro-pc", null, false);
    signed(otherCa, "stranger-pc", null, false);

    Path passwords = dir.resolve("labloop.passwd");
    Mosquitto.passwd("-b", "-c", passwords.toString(), "labloop-daemon", "daemon-secret");
    Mosquitto.passwd("-b", passwords.toString(), "spectro-pc", "spectro-secret");
    Files.writeString(dir.resolve("spectro.password"), "spectro-secret\n");
    port = LabloopProcesses.freePort();
    Path config = Mosquitto.configDir();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        testConf(
            config.resolve("mosquitto.conf"), config.resolve("acl"), passwords, labCa, broker));
    mosquitto =
        new ProcessBuilder(Mosquitto.BROKER.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .failFast("mosquitto stopped: " + dir.resolve("mosquitto.log"), () -> !mosquitto.isAlive())
        .until(() -> Mosquitto.accepting(port));
  }

  @AfterEach
  void stopMosquitto() throws InterruptedException {
    if (mosquitto != null) {
      mosquitto.destroy();
      if (!mosquitto.waitFor(5, TimeUnit.SECONDS)) mosquitto.destroyForcibly();
    }
  }

  @Test
  void aWrongCaOrClientCertificateIsRefusedAndTheRightOnesConnect() throws Exception {
    Path lab = writeLab();
    try (LabloopProcesses p = new LabloopProcesses(dir)) {
      // (a) the agent trusts another CA than the one that signed the broker's certificate
      Process untrusting =
          agent(p, "wrong-ca", lab, otherCa.cert, dir.resolve("spectro-pc.pem"), "spectro-pc");
      String a = refusal(p, "wrong-ca", untrusting);
      System.out.println("(a) " + a);
      assertTrue(a.contains(broker()), a);
      assertTrue(a.contains("presented a certificate this PC does not trust"), a);
      assertTrue(a.contains("check the CA file " + otherCa.cert), a);

      // (b) the broker requires client certificates and does not know this one's CA
      Process stranger =
          agent(p, "wrong-cert", lab, labCa.cert, dir.resolve("stranger-pc.pem"), "stranger-pc");
      String b = refusal(p, "wrong-cert", stranger);
      System.out.println("(b) " + b);
      assertTrue(b.contains(broker()), b);
      assertTrue(b.contains("refused this PC's TLS client certificate"), b);
      assertTrue(b.contains(dir.resolve("stranger-pc.pem").toString()), b);

      // (c) the right CA and a client certificate from the lab's CA: online
      Process right =
          agent(p, "right", lab, labCa.cert, dir.resolve("spectro-pc.pem"), "spectro-pc");
      p.awaitOutput("right", right, "online on", Duration.ofSeconds(20));
    }
  }

  private Process agent(
      LabloopProcesses p, String log, Path lab, Path ca, Path cert, String keyName)
      throws IOException {
    return p.start(
        log,
        "agent",
        lab.toString(),
        "--name",
        "spectro-pc",
        "--broker",
        broker(),
        "--username",
        "spectro-pc",
        "--password-file",
        dir.resolve("spectro.password").toString(),
        "--ca",
        ca.toString(),
        "--cert",
        cert.toString(),
        "--key",
        dir.resolve(keyName + ".key").toString(),
        "--data",
        "agent-" + log);
  }

  /** The agent's one error line, after it ended with an exit code other than 0. */
  private static String refusal(LabloopProcesses p, String log, Process agent)
      throws InterruptedException {
    assertTrue(agent.waitFor(20, TimeUnit.SECONDS), () -> p.tail(log));
    String out = p.output(log);
    assertNotEquals(0, agent.exitValue(), out);
    assertFalse(out.contains("\tat ") || out.contains("Caused by"), "no stack trace:\n" + out);
    return out.lines()
        .filter(l -> l.startsWith("labloop agent: "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no error line:\n" + out));
  }

  private String broker() {
    return "ssl://127.0.0.1:" + port;
  }

  /**
   * The documented configuration with the commented TLS block switched on for this test's port and
   * files in place of the plain listener.
   */
  private String testConf(Path documented, Path acl, Path passwords, Pem ca, Pem broker)
      throws IOException {
    StringBuilder out = new StringBuilder();
    boolean plain = false, tls = false, certificate = false;
    for (String line : Files.readAllLines(documented, StandardCharsets.UTF_8)) {
      if (line.startsWith("listener 1883")) {
        plain = true;
        continue;
      } else if (line.startsWith("#listener 8883")) {
        line = "listener " + port + " 127.0.0.1";
        tls = true;
      } else if (line.startsWith("#cafile ")) {
        line = "cafile " + ca.cert;
      } else if (line.startsWith("#certfile ")) {
        line = "certfile " + broker.cert;
      } else if (line.startsWith("#keyfile ")) {
        line = "keyfile " + broker.key;
      } else if (line.startsWith("#require_certificate true")) {
        line = "require_certificate true";
        certificate = true;
      } else if (line.startsWith("password_file ")) {
        line = "password_file " + passwords;
      } else if (line.startsWith("acl_file ")) {
        line = "acl_file " + acl.toAbsolutePath();
      }
      out.append(line).append('\n');
    }
    assertTrue(plain && tls && certificate, documented + " lost a documented line");
    out.append("user ").append(System.getProperty("user.name")).append('\n');
    return out.toString();
  }

  private Path writeLab() throws IOException {
    Path lab = dir.resolve("lab.yaml");
    Files.writeString(
        lab,
        """
        lab: mosquitto-tls-lab
        agents:
          broker: %2$s
          username: labloop-daemon
          password: "${LABLOOP_BROKER_PASSWORD:-}"
        instruments:
          spectrometer:
            agent: spectro-pc
            driver: serial
            port: %1$s/no-such-port-1
            baud: 115200
            commands:
              measure:
                send: "MEAS {sampleId}"
                expect: '^OK peak=(?<peak>[0-9.]+)$'
                timeout: 5s
        """
            .formatted(dir.toAbsolutePath(), broker()));
    return lab;
  }

  /** A key pair with its certificate, written as NAME.pem and NAME.key (PKCS#8). */
  private record Pem(KeyPair keys, X509Certificate certificate, Path cert, Path key) {}

  private Pem ca(String name, String cn) throws Exception {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + cn);
    var b = builder(subject, subject, keys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return write(name, keys, sign(b, keys));
  }

  private Pem signed(Pem ca, String name, String ip, boolean server) throws Exception {
    KeyPair keys = keyPair();
    var b =
        builder(
            X500Name.getInstance(ca.certificate.getSubjectX500Principal().getEncoded()),
            new X500Name("CN=" + name),
            keys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (server)
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, ip),
                new GeneralName(GeneralName.dNSName, "localhost")
              }));
    return write(name, keys, sign(b, ca.keys));
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair k) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        k.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private Pem write(String name, KeyPair keys, X509Certificate c) throws IOException {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    try {
      Files.writeString(cert, pem("CERTIFICATE", c.getEncoded()), StandardCharsets.US_ASCII);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
    Files.writeString(
        key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    return new Pem(keys, c, cert, key);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
