package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aes128_Sha256_RsaOaep with Sign and with SignAndEncrypt, username and password, against a server
 * that keeps a trust list of client certificates (the virtual lab with {@code trust-clients:
 * trust-list}): trust has to be set up both ways, as with a real instrument.
 */
class OpcUaAes128IT {

  private static Map<String, Object> robot(String mode) {
    return Map.of(
        "driver",
        "opcua",
        "endpoint",
        "opc.tcp://127.0.0.1:4840/labloop",
        "security",
        Map.of(
            "policy",
            "Aes128_Sha256_RsaOaep",
            "mode",
            mode,
            "username",
            "labtech",
            "password",
            "s3cret-pw"),
        "commands",
        Map.of(
            "synthesize",
            Map.of(
                "method",
                Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Synthesize"),
                "inputs",
                List.of("temperature", "time", "concentration", "solvent"),
                "outputs",
                List.of("sampleId"),
                "timeout",
                "10s")));
  }

  private static Map<String, Object> tree() {
    Map<String, Object> lab =
        Labs.lab(Map.of("robot", robot("Sign")), Map.of("robot", Labs.synthesizer()), 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> simulation = (Map<String, Object>) lab.get("simulation");
    simulation.put("trust-clients", "trust-list");
    return lab;
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;

  /** The section with the running lab's port, in the given mode. */
  private static Map<String, Object> section(VirtualLab lab, String mode) {
    Map<String, Object> s = new LinkedHashMap<>(robot(mode));
    s.put("endpoint", lab.endpoint("robot").address());
    return s;
  }

  /** The engineer trusts the server's certificate the way the driver's message says. */
  private static void trustServer(InstrumentError untrusted) throws Exception {
    Matcher m =
        Pattern.compile("move (\\S+\\.der) into (\\S+) and connect again")
            .matcher(untrusted.getMessage());
    assertTrue(m.find(), untrusted.getMessage());
    Path rejected = Path.of(m.group(1));
    Files.move(rejected, Path.of(m.group(2)).resolve(rejected.getFileName()));
  }

  @Test
  void anUntrustedClientCertificateGetsAnErrorThatSaysWhichFileTheServerMustTrust(VirtualLab lab)
      throws Exception {
    try (Drivers drivers = Drivers.standard()) {
      long before = lab.received("robot", "synthesize");
      Instrument robot = Labs.create(drivers, "robot", section(lab, "Sign"), data);
      InstrumentError refused = fails(robot.connect(), InstrumentError.Disconnected.class);
      String message = refused.getMessage();
      assertTrue(
          message.startsWith(
              "robot.connect: the server at "
                  + lab.endpoint("robot").address()
                  + " refused the secure connection (Bad_SecurityChecksFailed"),
          message);
      assertTrue(message.contains("does not trust LabLoop's client certificate"), message);
      Matcher m =
          Pattern.compile(
                  "Add (\\S+client\\.der) \\(SHA-1 ([0-9a-f]{40})\\) to the server's trusted client certificates")
              .matcher(message);
      assertTrue(m.find(), message);
      assertTrue(
          !message.contains("s3cret-pw"), "the password never appears in a message: " + message);
      assertEquals(
          InstrumentStatus.State.ERROR, robot.status().state(), "retrying alone will not fix it");
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE),
          robot.status().reasonKind());
      InstrumentError notSent =
          fails(
              robot.execute(new Command("synthesize", SYNTH_ARGS)),
              InstrumentError.Disconnected.class);
      assertTrue(
          notSent.getMessage().contains("does not trust LabLoop's client certificate"),
          notSent.getMessage());
      assertEquals(before, lab.received("robot", "synthesize"), "nothing reached the instrument");

      // The file named is the certificate alone (no key), the very one the server refused.
      Path certificate = Path.of(m.group(1));
      Path rejectedOnServer = lab.workDir().resolve("pki/rejected").resolve(m.group(2) + ".der");
      assertTrue(
          Files.exists(rejectedOnServer),
          "the server kept the refused certificate under the same thumbprint");
      assertEquals(-1, Files.mismatch(certificate, rejectedOnServer));
      robot.close();
    }
  }

  @Test
  void withTrustBothWaysMethodCallsRunWithSignAndWithSignAndEncrypt(VirtualLab lab)
      throws Exception {
    try (Drivers drivers = Drivers.standard()) {
      Instrument signed = Labs.create(drivers, "robot", section(lab, "Sign"), data);
      InstrumentError refused = fails(signed.connect(), InstrumentError.Disconnected.class);
      Matcher m = Pattern.compile("Add (\\S+client\\.der) ").matcher(refused.getMessage());
      assertTrue(m.find(), refused.getMessage());
      // The server's administrator adds the certificate to its trust list (the folder the lab
      // prints).
      Path trustedOnServer = Path.of(lab.endpoint("robot").details().get("trusted-clients"));
      Files.copy(Path.of(m.group(1)), trustedOnServer.resolve("labloop-client.der"));

      // The server watches its trust list; the driver connects from scratch on each attempt. Once
      // the server takes LabLoop's certificate, the refusal left is the driver's own: it has not
      // trusted the server yet.
      InstrumentError[] last = new InstrumentError[1];
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                last[0] = fails(signed.connect(), InstrumentError.Disconnected.class);
                return last[0].getMessage().contains("is not trusted");
              });
      trustServer(last[0]);

      long before = lab.received("robot", "synthesize");
      signed.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      assertEquals(InstrumentStatus.State.ONLINE, signed.status().state());
      Object signedSample =
          ok(signed.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId");
      assertTrue(
          lab.world().sample(String.valueOf(signedSample)).isPresent(),
          "a real sample: " + signedSample);

      Instrument encrypted = Labs.create(drivers, "robot", section(lab, "SignAndEncrypt"), data);
      Object encryptedSample =
          ok(encrypted.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId");
      assertTrue(
          lab.world().sample(String.valueOf(encryptedSample)).isPresent(),
          "a real sample: " + encryptedSample);
      assertTrue(!encryptedSample.equals(signedSample));
      assertEquals(before + 2, lab.received("robot", "synthesize"));
      signed.close();
      encrypted.close();
    }
  }
}
