package io.labloop.orchestrator.loop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.orchestrator.store.TemporaryPostgres;
import io.labloop.simulators.VirtualLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code labloop daemon} processes on one PostgreSQL database (a real server) and one
 * virtual lab that runs in the test's JVM, so it outlives the daemons as real instruments do and
 * counts every command it receives. A campaign is submitted to daemon 1; daemon 2 stands by. Daemon
 * 1 is SIGKILLed while a synthesis is in flight (its journal row STARTED): daemon 2 must take the
 * run over within 15 s, finish its budget, keep every DONE value, never send a non-idempotent
 * command twice, and say so in the run's event log. Daemon 1, started again, shows the run driven
 * by daemon 2 and does not resume it.
 */
class StandbyTakeoverIT {
  private static final int BUDGET = 8;
  private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final List<Process> daemons = new ArrayList<>();

  @AfterEach
  void killDaemons() {
    daemons.forEach(Process::destroyForcibly);
  }

  @Test
  void aStandbyDaemonTakesOverARunWhoseDaemonWasKilledDuringASynthesis() throws Exception {
    TemporaryPostgres postgres = TemporaryPostgres.shared();
    String url = postgres.newDatabase("standby_takeover");
    LoopFiles files = new LoopFiles(dir).set("BUDGET", BUDGET).set("TIME_SCALE", "0.001");
    try (VirtualLab lab = files.startLab()) {
      Path campaign = withoutTheSerialSpectrometer(files.writeFor(lab));
      Path data1 = dir.resolve("data-1");
      Path data2 = dir.resolve("data-2");
      Process daemon1 = startDaemon("daemon-1", data1, url);
      startDaemon("daemon-2", data2, url);
      LabLoopClient one = client(data1);
      LabLoopClient two = client(data2);

      CampaignView submitted =
          one.submit("campaign.yaml", Files.readString(campaign, StandardCharsets.UTF_8));
      String runId = RunId.fromApi(submitted.id()).orElseThrow().toString();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> two.campaign(submitted.id()).status().equals("RUNNING"));
      CampaignView seenByTwo = two.campaign(submitted.id());
      assertEquals("daemon-1", seenByTwo.drivenBy(), "daemon 2 shows who drives the run");
      assertFalse(seenByTwo.runningHere());

      // the kill: once two experiments are done, while the next synthesis is in flight
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> count(url, doneSql(runId)) >= 2 && count(url, synthesisInFlight(runId)) == 1);
      daemon1.destroyForcibly(); // SIGKILL: its connections, hence its run lock, go away
      long killedAt = System.nanoTime();
      daemon1.waitFor(30, TimeUnit.SECONDS);
      List<ExperimentRecord> doneBeforeKill;
      try (Store store = store(url)) {
        doneBeforeKill =
            store.experiments(runId).stream()
                .filter(e -> e.status() == ExperimentStatus.DONE)
                .toList();
      }

      await()
          .atMost(TAKEOVER_LIMIT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> count(url, takeoverEventSql(runId)) == 1);
      double takeoverSeconds = (System.nanoTime() - killedAt) / 1e9;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> count(url, stepsStartedAfterTakeover(runId)) >= 1);
      double firstCommandSeconds = (System.nanoTime() - killedAt) / 1e9;

      await()
          .atMost(Duration.ofSeconds(180))
          .until(() -> two.campaign(submitted.id()).status().equals("DONE"));
      CampaignView finished = two.campaign(submitted.id());
      assertEquals("daemon-2", finished.drivenBy());

      try (Store store = store(url)) {
        RunRecord run = RunProcesses.completedOnce(store, BUDGET);
        assertEquals(runId, run.id());
        List<ExperimentRecord> experiments = store.experiments(runId);
        RunProcesses.assertStillDone(doneBeforeKill, experiments);
        RunProcesses.assertNonIdempotentCommandsSentOnce(lab, store.steps(runId));
        List<EventRecord> takeovers =
            store.events(runId).stream().filter(e -> e.kind() == EventKind.TAKEOVER).toList();
        assertEquals(1, takeovers.size(), "one takeover in the event log");
        assertTrue(
            takeovers.get(0).message().contains("daemon daemon-2 takes the run over from daemon-1"),
            takeovers.get(0).message());
        assertEquals("daemon-2", store.drivers().get(runId));
        long interrupted =
            experiments.stream().filter(e -> e.status() == ExperimentStatus.INTERRUPTED).count();
        System.out.printf(
            "StandbyTakeoverIT: takeover event %.2f s after SIGKILL, first command from daemon 2 %.2f s after;"
                + " %d experiments DONE before the kill kept; %d interrupted; robot received %d syntheses%n",
            takeoverSeconds,
            firstCommandSeconds,
            doneBeforeKill.size(),
            interrupted,
            lab.received("robot", "synthesize"));
        assertTrue(
            takeoverSeconds < TAKEOVER_LIMIT.toSeconds(), "taken over in " + takeoverSeconds);
      }

      // daemon 1 comes back: it shows the run as daemon 2's and does not drive it
      startDaemon("daemon-1", data1, url);
      CampaignView seenByOne = client(data1).campaign(submitted.id());
      assertEquals("daemon-2", seenByOne.drivenBy());
      assertFalse(seenByOne.runningHere());
      assertEquals("DONE", seenByOne.status());
    }
  }

  // ------------------------------------------------------------------------------------------

  private Process startDaemon(String name, Path data, String url) throws IOException {
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("url"));
    Path settings = dir.resolve(name + ".yaml");
    Files.writeString(
        settings,
        "lab: "
            + dir.resolve("standby-lab.yaml")
            + "\ndata: "
            + data
            + "\nname: "
            + name
            + "\napi: { port: 0 }\nstore: { url: '"
            + url
            + "', user: labloop }\nshutdown-grace: 5s\n",
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-Duser.timezone=UTC",
                "-cp",
                System.getProperty("java.class.path"),
                "io.labloop.orchestrator.cli.Main",
                "daemon",
                "--config",
                settings.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()));
    pb.environment().remove("LABLOOP_TOKEN");
    Process p = pb.start();
    daemons.add(p);
    Path out = dir.resolve(name + ".out");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              if (!p.isAlive())
                throw new IllegalStateException(name + " exited: " + Files.readString(out));
              if (!Files.exists(data.resolve("url"))) return false;
              try {
                return "ok".equals(client(data).health().get("status"));
              } catch (RuntimeException e) {
                return false;
              }
            });
    return p;
  }

  /**
   * The test lab without its serial spectrometer: a pty is opened by one process at a time, and a
   * serial instrument belongs to the PC it is plugged into (an agent offers it to the daemons over
   * the broker, see docs/multi-pc.md). Both daemons reach the robot (OPC UA) and the XRD (MQTT).
   *
   * @return the campaign file, without its measure step and peak objective
   */
  private Path withoutTheSerialSpectrometer(Path campaign) throws IOException {
    String lab = Files.readString(dir.resolve("lab.yaml"));
    int from = lab.indexOf("  spectrometer:\n");
    int to = lab.indexOf("  xrd:\n");
    lab = (lab.substring(0, from) + lab.substring(to)).replaceAll("(?m)^    spectrometer:.*\n", "");
    Files.writeString(dir.resolve("standby-lab.yaml"), lab);
    String text =
        Files.readString(campaign)
            .replace("lab: lab.yaml", "lab: standby-lab.yaml")
            .replaceAll("(?m)^  - \\{ instrument: spectrometer.*\n", "")
            .replaceAll("(?m)^  - \\{ name: peak.*\n", "");
    Path out = dir.resolve("standby-campaign.yaml");
    Files.writeString(out, text);
    return out;
  }

  private static LabLoopClient client(Path data) {
    return new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
  }

  private Store store(String url) {
    return Store.open(StoreLocation.jdbc(url, "labloop", "", dir.resolve("check")));
  }

  private static String doneSql(String runId) {
    return "SELECT COUNT(*) FROM experiments WHERE status = 'DONE' AND run_id = '" + runId + "'";
  }

  private static String synthesisInFlight(String runId) {
    return "SELECT COUNT(*) FROM steps WHERE command = 'synthesize' AND status = 'STARTED'"
        + " AND run_id = '"
        + runId
        + "'";
  }

  private static String takeoverEventSql(String runId) {
    return "SELECT COUNT(*) FROM events WHERE kind = 'takeover' AND run_id = '" + runId + "'";
  }

  /** Steps daemon 2 started: after the takeover event. */
  private static String stepsStartedAfterTakeover(String runId) {
    return "SELECT COUNT(*) FROM steps WHERE run_id = '"
        + runId
        + "' AND started_at > (SELECT MAX(at) FROM events WHERE kind = 'takeover' AND run_id = '"
        + runId
        + "')";
  }

  /** The number the query counts, read over plain JDBC (0 before the schema exists). */
  private static long count(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url, "labloop", "");
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      return 0;
    }
  }
}
