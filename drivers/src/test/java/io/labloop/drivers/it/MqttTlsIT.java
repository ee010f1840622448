package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import io.labloop.simulators.world.Sample;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
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
 * The MQTT driver on an {@code ssl://} broker (the virtual lab's TLS listener): trusted, and not.
 */
class MqttTlsIT {

  private static Map<String, Object> tree() {
    return Labs.lab(
        Map.of(
            "xrd",
            Map.of(
                "driver",
                "mqtt",
                "broker",
                "ssl://127.0.0.1:8883",
                "commands",
                Map.of(
                    "scan",
                    Map.of(
                        "request",
                        "lab/xrd/scan",
                        "payload",
                        Map.of("sample", "{sampleId}"),
                        "outputs",
                        List.of("crystallinity"),
                        "timeout",
                        "5s")))),
        Map.of("xrd", Labs.measurer(List.of("crystallinity"), "0")),
        0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;

  private static Sample sample(VirtualLab lab) {
    return lab.world()
        .synthesize(
            Map.of("temperature", 150.0, "time", 30.0, "concentration", 0.5, "solvent", "water"));
  }

  private static Object certificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void withTheBrokersCertificateTrustedCommandsRunOverTls(VirtualLab lab) throws Exception {
    String ca = lab.endpoint("xrd").details().get("tls-ca");
    try (Drivers drivers = Drivers.standard()) {
      Instrument xrd =
          Labs.create(
              drivers, "xrd", Labs.section(lab, "xrd", Map.of("tls", Map.of("ca", ca))), data);
      xrd.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      assertEquals(InstrumentStatus.State.ONLINE, xrd.status().state());
      Sample s = sample(lab);
      double crystallinity =
          (Double)
              ok(xrd.execute(new Command("scan", Map.of("sampleId", s.id()))))
                  .outputs()
                  .get("crystallinity");
      assertEquals(
          s.truth().get("crystallinity"),
          crystallinity,
          1e-9,
          "no noise configured: the world's value");
      xrd.close();
    }
  }

  @Test
  void anUntrustedBrokerIsRefusedWithAMessageThatSaysHowToTrustItAndNothingIsSent(VirtualLab lab)
      throws Exception {
    String broker = lab.endpoint("xrd").address();
    long before = lab.received("xrd", "scan");
    try (Drivers drivers = Drivers.standard()) {
      Instrument xrd = Labs.create(drivers, lab, "xrd", data); // no tls.ca: the JVM's trust store
      InstrumentError refused = fails(xrd.connect(), InstrumentError.Disconnected.class);
      String message = refused.getMessage();
      assertTrue(
          message.startsWith(
              "xrd.connect: the broker "
                  + broker
                  + " presented a certificate LabLoop does not trust"
                  + " ('CN=LabLoop virtual lab MQTT broker,O=LabLoop', SHA-256 "),
          message);
      assertTrue(
          message.contains(
              "not signed by a certificate authority the JVM trusts, and the instrument gives no tls.ca"),
          message);
      assertEquals(
          InstrumentStatus.State.ERROR, xrd.status().state(), "retrying alone will not fix it");
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE),
          xrd.status().reasonKind());
      assertEquals(message.substring("xrd.connect: ".length()), xrd.status().reason());

      InstrumentError notSent =
          fails(
              xrd.execute(new Command("scan", Map.of("sampleId", sample(lab).id()))),
              InstrumentError.Disconnected.class);
      assertTrue(
          notSent
              .getMessage()
              .contains(
                  "not connected to broker "
                      + broker
                      + ": the broker "
                      + broker
                      + " presented a certificate LabLoop does not trust"),
          notSent.getMessage());
      assertEquals(before, lab.received("xrd", "scan"), "nothing reached the instrument");

      // The message names the saved certificate and the setting; the engineer checks it is the
      // broker's (here: the very certificate the lab prints) and does what it says.
      Matcher m = Pattern.compile("trust it with tls: \\{ ca: (\\S+\\.pem) \\}").matcher(message);
      assertTrue(m.find(), message);
      Path saved = Path.of(m.group(1));
      assertEquals(
          certificate(Path.of(lab.endpoint("xrd").details().get("tls-ca"))), certificate(saved));
      xrd.close();

      Instrument trusted =
          Labs.create(
              drivers,
              "xrd",
              Labs.section(lab, "xrd", Map.of("tls", Map.of("ca", saved.toString()))),
              data);
      trusted.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      Sample s = sample(lab);
      assertEquals(
          s.truth().get("crystallinity"),
          (Double)
              ok(trusted.execute(new Command("scan", Map.of("sampleId", s.id()))))
                  .outputs()
                  .get("crystallinity"),
          1e-9);
      assertEquals(before + 1, lab.received("xrd", "scan"));
      trusted.close();
    }
  }
}
