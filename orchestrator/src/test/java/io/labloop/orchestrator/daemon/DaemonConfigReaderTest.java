package io.labloop.orchestrator.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigReaderTest {
  @TempDir Path dir;

  @Test
  void theExampleFileReads() throws IOException {
    Path example = Path.of("../config/labloop.yaml");
    Path copy = dir.resolve("labloop.yaml");
    Files.copy(example, copy);
    DaemonConfig c = new DaemonConfigReader(Map.of("LABLOOP_KEYSTORE_PASSWORD", "x")).read(copy);
    assertEquals(dir.resolve("labs/sim-lab.yaml"), c.lab());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(8080, c.port());
  }

  @Test
  void everySettingIsRead() throws IOException {
    Path f =
        write(
            """
        lab: labs/lab.yaml
        campaigns: campaigns
        data: /var/lib/labloop
        sim: true
        shutdown-grace: 90s
        api:
          bind: 0.0.0.0
          port: 9090
          max-body: 2MiB
          tokens:
            alice: { sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 }
        store: { url: "jdbc:postgresql://db.lab/labloop", user: labloop, password: "${DB_PASSWORD}" }
        schedule:
          health-check: 30s
          time-zone: Europe/Berlin
          calibrations:
            - { instrument: spectrometer, command: calibrate, cron: "0 6 * * *" }
        """);
    DaemonConfig c = new DaemonConfigReader(Map.of("DB_PASSWORD", "pw")).read(f);
    assertEquals(dir.resolve("labs/lab.yaml"), c.lab());
    assertEquals(dir.resolve("campaigns"), c.campaignDir());
    assertEquals(Path.of("/var/lib/labloop"), c.data());
    assertTrue(c.sim());
    assertEquals("0.0.0.0", c.bind());
    assertEquals(9090, c.port());
    assertEquals(2L << 20, c.maxBody());
    assertEquals(Duration.ofSeconds(90), c.shutdownGrace());
    assertEquals(
        Map.of("alice", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"),
        c.tokens());
    assertEquals("pw", c.store().orElseThrow().password());
    assertFalse(c.store().orElseThrow().toString().contains("pw"), "passwords stay out of logs");
    assertEquals(Duration.ofSeconds(30), c.healthEvery());
    assertEquals("Europe/Berlin", c.zone().getID());
    assertEquals(
        List.of(new DaemonConfig.Calibration("spectrometer", "calibrate", "0 6 * * *")),
        c.calibrations());
  }

  @Test
  void everyProblemIsReportedWithItsPosition() throws IOException {
    Path f =
        write(
            """
        lab: lab.yaml
        api:
          port: eighty
          max-body: lots
          tokens:
            bob: { sha256: nothex }
        store: { url: "${MISSING_URL}" }
        shedule: {}
        """);
    ConfigException e =
        assertThrows(ConfigException.class, () -> new DaemonConfigReader(Map.of()).read(f));
    List<String> lines = e.problems().stream().sorted().map(ConfigProblem::toString).toList();
    String name = f.toString();
    assertEquals(
        List.of(
            name
                + ":3:9: error: port 'eighty' (expected a whole number 0-65535; 0 picks a free port)",
            name
                + ":4:13: error: size 'lots' (expected bytes, or a number with KiB or MiB, e.g. 1MiB)",
            name + ":6:20: error: sha256 of token 'bob' (expected 64 hex digits)",
            name
                + ":7:15: error: environment variable MISSING_URL is not set (expected it set, or ${MISSING_URL:-default})",
            name
                + ":7:15: error: store url (expected a JDBC URL, e.g. jdbc:postgresql://db.lab/labloop)",
            name
                + ":8:1: error: unknown key 'shedule' (expected one of api, campaigns, data, lab, name, schedule, shutdown-grace, sim, store)"),
        lines);
  }

  @Test
  void brokenYamlIsOneProblemWithItsPosition() throws IOException {
    Path f = write("lab: [a, b\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> new DaemonConfigReader(Map.of()).read(f));
    assertTrue(
        e.problems().get(0).toString().startsWith(f + ":2:1: error: "), e.problems().toString());
  }

  private Path write(String text) throws IOException {
    Path f = dir.resolve("labloop.yaml");
    Files.writeString(f, text);
    return f;
  }
}
