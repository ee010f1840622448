package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Basic256Sha256 with sign and encrypt, username and password, and the trust list. */
class OpcUaSecurityIT {

  private static final Map<String, Object> SECURITY =
      Map.of(
          "policy",
          "Basic256Sha256",
          "mode",
          "SignAndEncrypt",
          "username",
          "labtech",
          "password",
          "s3cret-pw");

  private static Map<String, Object> tree() {
    return Labs.lab(
        Map.of(
            "robot",
            Map.of(
                "driver",
                "opcua",
                "endpoint",
                "opc.tcp://127.0.0.1:4840/labloop",
                "security",
                SECURITY,
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
                        "10s")))),
        Map.of("robot", Labs.synthesizer()),
        0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;

  @Test
  void anUnknownServerIsRejectedUntilTheEngineerTrustsItThenCommandsRunEncrypted(VirtualLab lab)
      throws Exception {
    try (Drivers drivers = Drivers.standard()) {
      Instrument robot = Labs.create(drivers, lab, "robot", data);
      InstrumentError e = fails(robot.connect(), InstrumentError.Disconnected.class);
      assertEquals(InstrumentStatus.State.ERROR, robot.status().state());
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE),
          robot.status().reasonKind());
      assertTrue(e.getMessage().contains("is not trusted"), e.getMessage());
      // The message says which file to move where; do exactly that, as the engineer would.
      Matcher m =
          Pattern.compile("move (\\S+\\.der) into (\\S+) and connect again")
              .matcher(e.getMessage());
      assertTrue(m.find(), e.getMessage());
      Path rejected = Path.of(m.group(1));
      Path trusted = Path.of(m.group(2));
      assertTrue(Files.exists(rejected), rejected.toString());
      Files.move(rejected, trusted.resolve(rejected.getFileName()));

      robot.connect().get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(InstrumentStatus.State.ONLINE, robot.status().state());
      Object sampleId =
          ok(robot.execute(new Command("synthesize", SYNTH_ARGS))).outputs().get("sampleId");
      assertTrue(String.valueOf(sampleId).length() > 0);
      assertTrue(
          Files.exists(data.resolve("opcua/pki/client.p12")),
          "the client certificate is created on first use");
      robot.close();
    }
  }

  @Test
  void aWrongPasswordIsRejectedWithAMessageThatSaysSo(VirtualLab lab) throws Exception {
    try (Drivers drivers = Drivers.standard()) {
      // Trust the server first, by the same route as above, with the right password.
      Instrument right = Labs.create(drivers, lab, "robot", data);
      InstrumentError untrusted = fails(right.connect(), InstrumentError.Disconnected.class);
      Matcher m =
          Pattern.compile("move (\\S+\\.der) into (\\S+) and connect again")
              .matcher(untrusted.getMessage());
      assertTrue(m.find(), untrusted.getMessage());
      Files.move(
          Path.of(m.group(1)), Path.of(m.group(2)).resolve(Path.of(m.group(1)).getFileName()));
      right.close();

      Map<String, Object> security = new java.util.HashMap<>(SECURITY);
      security.put("password", "wrong");
      Instrument wrong =
          Labs.create(
              drivers, "robot", Labs.section(lab, "robot", Map.of("security", security)), data);
      InstrumentError e = fails(wrong.connect(), InstrumentError.Disconnected.class);
      assertTrue(e.getMessage().contains("did not accept user 'labtech'"), e.getMessage());
      assertTrue(
          !e.getMessage().contains("wrong"),
          "the password never appears in a message: " + e.getMessage());
      assertEquals(InstrumentStatus.State.ERROR, wrong.status().state());
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.CONFIGURATION),
          wrong.status().reasonKind(),
          "a password to fix");
      wrong.close();
    }
  }
}
