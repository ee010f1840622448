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
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.orchestrator.store.TemporaryPostgres;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.journal.ReceivedCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's site: a campaign whose robot (OPC UA) is on agent {@code robot-pc}, spectrometer
 * (serial, a pty) on agent {@code spectro-pc} and XRD (MQTT) on the broker directly; Mosquitto 2 is
 * the broker, PostgreSQL the store, daemon 1 drives the run and daemon 2 stands by. Every part is
 * its own process except the virtual lab, which runs in the test's JVM so that it outlives the
 * others as real instruments do and counts every command it receives.
 *
 * <p>Three faults, one after the other: agent {@code spectro-pc} is SIGKILLed while a measure is in
 * flight (and started again), daemon 1 is SIGKILLed while a synthesis is in flight, and the broker
 * is stopped for 10 s while daemon 2 drives the run. The campaign completes its budget on daemon 2,
 * every DONE value is kept, no non-idempotent command reaches an instrument twice, and each fault
 * is in the event log: the interrupted measure's retry and the takeover in the run's events, the
 * broker outage as instrument-offline and instrument-online alerts of the three instruments on
 * daemon 2's event stream ({@code GET /api/instruments/NAME}) and in the run's own events (the
 * daemons check health every second here). Skipped where Mosquitto is not installed ({@code
 * .ci/run} installs it).
 */
class SiteFaultsIT {

  private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
  private static final int BUDGET = 14;
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile("\"key\"\\s*:\\s*\"([^\"]*)\"");
  private static final java.util.regex.Pattern STATE =
      java.util.regex.Pattern.compile("\"state\"\\s*:\\s*\"([^\"]*)\"");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<Process> children = new ArrayList<>();
  private Process mosquitto;
  private int mqttPort;

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process p : children) if (p.isAlive()) p.destroy();
    if (mosquitto != null && mosquitto.isAlive()) mosquitto.destroy();
    for (Process p : children) if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    if (mosquitto != null && !mosquitto.waitFor(5, TimeUnit.SECONDS)) mosquitto.destroyForcibly();
  }

  @Test
  void theCampaignSurvivesAKilledAgentAKilledDaemonAndABrokerOutage() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(MOSQUITTO), "Mosquitto 2 is not installed (/usr/sbin/mosquitto)");
    long t0 = System.nanoTime();
    mqttPort = freePort();
    startMosquitto();
    TemporaryPostgres postgres = TemporaryPostgres.shared();
    String url = postgres.newDatabase("site_faults");
    Path lab = writeLab(freePort());
    try (VirtualLab virtualLab = VirtualLab.start(lab, dir.resolve("sim"))) {
      Path campaign = writeCampaign();
      String[] robotAgent = agentArgs(lab, "robot-pc");
      String[] spectroAgent = agentArgs(lab, "spectro-pc");
      Process agentA = start("agent-robot-pc", robotAgent);
      Process agentB = start("agent-spectro-pc", spectroAgent);
      awaitOutput("agent-robot-pc", agentA, "online on", Duration.ofSeconds(60));
      awaitOutput("agent-spectro-pc", agentB, "online on", Duration.ofSeconds(60));
      Path data1 = dir.resolve("data-1");
      Path data2 = dir.resolve("data-2");
      Process daemon1 = startDaemon("daemon-1", data1, url, lab);
      startDaemon("daemon-2", data2, url, lab);
      LabLoopClient one = client(data1);
      LabLoopClient two = client(data2);
      CampaignView submitted =
          one.submit("campaign.yaml", Files.readString(campaign, StandardCharsets.UTF_8));
      String runId = RunId.fromApi(submitted.id()).orElseThrow().toString();
      System.out.printf("SiteFaultsIT: site up, run submitted at %.1f s%n", since(t0));

      // ---- fault 1: SIGKILL agent B (spectro-pc) while a measure is in flight
      Path journalB = dir.resolve("spectro-pc/agent-spectro-pc.journal");
      awaitOrFail(
          "a measure in flight on agent spectro-pc after one DONE experiment",
          Duration.ofSeconds(90),
          () -> count(url, doneSql(runId)) >= 1 && measureInFlight(journalB),
          "daemon-1",
          "agent-spectro-pc");
      agentB.destroyForcibly();
      Instant agentKilledAt = Instant.now();
      long agentKilled = System.nanoTime();
      assertTrue(agentB.waitFor(10, TimeUnit.SECONDS));
      String keyInFlight = lastStartedKey(journalB);
      Process againB = start("agent-spectro-pc-again", spectroAgent);
      awaitOutput("agent-spectro-pc-again", againB, "online on", Duration.ofSeconds(60));
      double agentBack = (System.nanoTime() - agentKilled) / 1e9;
      awaitOrFail(
          "the interrupted measure in the run's journal",
          Duration.ofSeconds(60),
          () -> count(url, interruptedMeasure(runId)) >= 1,
          "daemon-1",
          "agent-spectro-pc-again");
      double agentRecovered = (System.nanoTime() - agentKilled) / 1e9;
      System.out.printf(
          "SiteFaultsIT: fault 1 agent spectro-pc SIGKILLed at %.1f s during measure %s;"
              + " agent online again %.1f s later, the measure journaled INTERRUPTED %.1f s later%n",
          since(t0) - agentRecovered, keyInFlight, agentBack, agentRecovered);

      // ---- fault 2: SIGKILL daemon 1 while a synthesis is in flight
      long doneAfterAgent = count(url, doneSql(runId));
      awaitOrFail(
          "a synthesis in flight on daemon 1 after one more DONE experiment",
          Duration.ofSeconds(90),
          () ->
              count(url, doneSql(runId)) > doneAfterAgent
                  && count(url, synthesisInFlight(runId)) == 1,
          "daemon-1",
          "agent-robot-pc");
      daemon1.destroyForcibly();
      long daemonKilled = System.nanoTime();
      assertTrue(daemon1.waitFor(30, TimeUnit.SECONDS));
      List<ExperimentRecord> doneBeforeDaemonKill = done(url, runId);
      awaitOrFail(
          "daemon 2 takes the run over",
          Duration.ofSeconds(15),
          () -> count(url, takeoverEventSql(runId)) == 1,
          "daemon-2");
      double takeover = (System.nanoTime() - daemonKilled) / 1e9;
      System.out.printf(
          "SiteFaultsIT: fault 2 daemon 1 SIGKILLed at %.1f s during a synthesis;"
              + " daemon 2 took the run over %.1f s later%n",
          since(t0) - takeover, takeover);

      // ---- fault 3: the broker stops for 10 s while daemon 2 drives the run
      long doneAfterTakeover = count(url, doneSql(runId));
      awaitOrFail(
          "a synthesis in flight on daemon 2 after one more DONE experiment",
          Duration.ofSeconds(90),
          () ->
              count(url, doneSql(runId)) > doneAfterTakeover
                  && count(url, synthesisInFlight(runId)) == 1,
          "daemon-2",
          "agent-robot-pc");
      List<ExperimentRecord> doneBeforeOutage = done(url, runId);
      Instant brokerStoppedAt = Instant.now();
      long brokerStopped = System.nanoTime();
      mosquitto.destroy();
      assertTrue(mosquitto.waitFor(10, TimeUnit.SECONDS), "mosquitto stops");
      Thread.sleep(OUTAGE.toMillis()); // the outage itself
      startMosquitto();
      double brokerBack = (System.nanoTime() - brokerStopped) / 1e9;
      // nothing completes while the broker is down (every instrument is reached through it), so
      // a DONE beyond this count came after it was back, even one before the alerts below
      long doneBeforeRestart = count(url, doneSql(runId));
      awaitOrFail(
          "robot, spectrometer and xrd offline and online again on daemon 2",
          Duration.ofSeconds(60),
          () -> {
            for (String i : List.of("robot", "spectrometer", "xrd")) {
              List<Map<String, Object>> a = alerts(data2, i);
              if (a.stream().noneMatch(x -> isAlert(x, "instrument-offline", brokerStoppedAt))
                  || a.stream().noneMatch(x -> isAlert(x, "instrument-online", brokerStoppedAt)))
                return false;
            }
            return true;
          },
          "daemon-2");
      double instrumentsBack = (System.nanoTime() - brokerStopped) / 1e9;
      awaitOrFail(
          "an experiment DONE after the broker came back",
          Duration.ofSeconds(60),
          () -> count(url, doneSql(runId)) > doneBeforeRestart,
          "daemon-2",
          "agent-robot-pc");
      double brokerRecovered = (System.nanoTime() - brokerStopped) / 1e9;
      System.out.printf(
          "SiteFaultsIT: fault 3 broker stopped at %.1f s for %.1f s;"
              + " its instruments online again on daemon 2 %.1f s after the stop,"
              + " next experiment DONE %.1f s after the stop%n",
          since(t0) - brokerRecovered, brokerBack, instrumentsBack, brokerRecovered);

      awaitOrFail(
          "the campaign completes on daemon 2",
          Duration.ofSeconds(120),
          () -> two.campaign(submitted.id()).status().equals("DONE"),
          "daemon-2",
          "agent-robot-pc",
          "agent-spectro-pc-again");
      CampaignView finished = two.campaign(submitted.id());
      assertEquals("daemon-2", finished.drivenBy());

      try (Store store = store(url)) {
        RunRecord run = store.latestRun("site-silver").orElseThrow();
        assertEquals(runId, run.id());
        assertEquals(RunStatus.COMPLETED, run.status());
        List<ExperimentRecord> experiments = store.experiments(runId);
        assertEquals(
            BUDGET,
            experiments.stream().filter(ExperimentRecord::reached).count(),
            "the budget completes");
        RunProcesses.assertStillDone(doneBeforeDaemonKill, experiments);
        RunProcesses.assertStillDone(doneBeforeOutage, experiments);
        List<StepRecord> steps = store.steps(runId);
        RunProcesses.assertNonIdempotentCommandsSentOnce(virtualLab, steps);
        assertEachSampleMeasuredOnce(virtualLab);

        List<EventRecord> events = store.events(runId);
        String log = describe(events);
        // fault 1: the measure in flight on the killed agent, interrupted, told as such
        StepRecord interrupted =
            steps.stream()
                .filter(s -> s.status() == StepStatus.INTERRUPTED && s.command().equals("measure"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no measure was interrupted: " + steps));
        assertEquals(keyInFlight, interrupted.idempotencyKey());
        assertTrue(
            events.stream()
                .anyMatch(
                    e ->
                        e.at().isAfter(agentKilledAt)
                            && e.message().contains("retries #" + interrupted.seq())
                            && e.message().contains("the agent stopped")
                            && e.message().contains(keyInFlight)),
            () -> "the interrupted measure is in the event log:\n" + log);
        // fault 2: the synthesis in flight when daemon 1 died is asked again of its agent, which
        // answers from its journal: kept, not interrupted, and sent to the robot once (above)
        assertTrue(
            events.stream()
                .anyMatch(
                    e ->
                        e.kind() == EventKind.RESEND
                            && e.message().contains("robot.synthesize was in flight")
                            && e.message().contains("agent robot-pc is asked again")),
            () -> "the synthesis in flight is asked again of agent robot-pc:\n" + log);
        assertTrue(
            steps.stream()
                .noneMatch(
                    s -> s.command().equals("synthesize") && s.status() == StepStatus.INTERRUPTED),
            () -> "no synthesis interrupted: " + steps);
        // fault 2: the takeover
        List<EventRecord> takeovers =
            events.stream().filter(e -> e.kind() == EventKind.TAKEOVER).toList();
        assertEquals(1, takeovers.size(), log);
        assertTrue(
            takeovers.get(0).message().contains("daemon daemon-2 takes the run over from daemon-1"),
            takeovers.get(0).message());
        // fault 3: the broker outage is lab-wide, not a run's: each instrument reached over the
        // broker went offline and came back, on daemon 2's event stream (its instruments' alerts)
        for (String instrument : List.of("robot", "spectrometer", "xrd")) {
          List<Map<String, Object>> alerts = alerts(data2, instrument);
          assertTrue(
              alerts.stream().anyMatch(a -> isAlert(a, "instrument-offline", brokerStoppedAt)),
              () -> instrument + " went offline during the outage: " + alerts);
          assertTrue(
              alerts.stream().anyMatch(a -> isAlert(a, "instrument-online", brokerStoppedAt)),
              () -> instrument + " came back after the outage: " + alerts);
          // and the run, which uses every one of them, keeps both in its own event log
          for (EventKind kind :
              List.of(EventKind.INSTRUMENT_OFFLINE, EventKind.INSTRUMENT_ONLINE)) {
            assertTrue(
                events.stream()
                    .anyMatch(
                        e ->
                            e.kind() == kind
                                && e.instrument().equals(Optional.of(instrument))
                                && e.at().isAfter(brokerStoppedAt)),
                () -> instrument + " " + kind + " in the run's event log:\n" + log);
          }
        }
        System.out.printf(
            "SiteFaultsIT: budget %d completed on daemon 2 in %.1f s; %d DONE experiments kept;"
                + " robot received %d syntheses, spectrometer %d measures, xrd %d scans%n",
            BUDGET,
            since(t0),
            doneBeforeOutage.size(),
            virtualLab.received("robot", "synthesize"),
            virtualLab.received("spectrometer", "measure"),
            virtualLab.received("xrd", "scan"));
        System.out.println("SiteFaultsIT: event log\n" + log);
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  /** The instrument's alerts as daemon {@code data}'s {@code GET /api/instruments/NAME} shows. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alerts(Path data, String instrument)
      throws IOException, InterruptedException {
    String base = Files.readString(data.resolve("url")).trim();
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "/api/instruments/" + instrument))
                    .header(
                        "Authorization", "Bearer " + Files.readString(data.resolve("token")).trim())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Object> detail =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), Map.class);
    return (List<Map<String, Object>>) detail.get("alerts");
  }

  private static boolean isAlert(Map<String, Object> alert, String kind, Instant after) {
    return kind.equals(alert.get("kind"))
        && java.time.OffsetDateTime.parse(String.valueOf(alert.get("at")))
            .toInstant()
            .isAfter(after);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String describe(List<EventRecord> events) {
    StringBuilder b = new StringBuilder();
    for (EventRecord e : events)
      b.append("  ")
          .append(e.at())
          .append(' ')
          .append(e.kind().label())
          .append(' ')
          .append(e.seq().isPresent() ? "#" + e.seq().getAsInt() + " " : "")
          .append(e.message())
          .append('\n');
    return b.toString();
  }

  private void awaitOrFail(
      String what, Duration within, Callable<Boolean> condition, String... logs) {
    try {
      await().atMost(within).pollInterval(Duration.ofMillis(20)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      StringBuilder b = new StringBuilder("not seen within " + within + ": " + what);
      for (String name : logs)
        b.append("\n--- ").append(name).append(":\n").append(RunProcesses.tail(log(name)));
      throw new AssertionError(b.toString(), e);
    }
  }

  private List<ExperimentRecord> done(String url, String runId) {
    try (Store store = store(url)) {
      return store.experiments(runId).stream()
          .filter(e -> e.status() == ExperimentStatus.DONE)
          .toList();
    }
  }

  /** The virtual spectrometer received each sample's measure at most once. */
  private static void assertEachSampleMeasuredOnce(VirtualLab lab) {
    Map<String, Integer> bySample = new HashMap<>();
    for (ReceivedCommand c : lab.journal("spectrometer"))
      if (c.command().equals("measure"))
        bySample.merge(String.valueOf(c.arguments().get("sampleId")), 1, Integer::sum);
    assertFalse(bySample.isEmpty(), "the spectrometer was reached through its agent");
    bySample.forEach(
        (sample, n) -> assertEquals(1, n, "sample " + sample + " was measured " + n + " times"));
  }

  private void startMosquitto() throws IOException {
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener "
            + mqttPort
            + " 127.0.0.1\nallow_anonymous true\npersistence false\nuser "
            + System.getProperty("user.name")
            + "\n");
    Process p =
        new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log("mosquitto").toFile()))
            .start();
    mosquitto = p;
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .failFast("mosquitto stopped: " + log("mosquitto"), () -> !p.isAlive())
        .until(this::accepting);
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", mqttPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String broker() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  private String[] agentArgs(Path lab, String name) {
    return new String[] {
      "agent", lab.toString(), "--name", name, "--broker", broker(), "--data", name
    };
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private Process start(String name, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC"));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "io.labloop.orchestrator.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
    pb.environment().remove("LABLOOP_TOKEN");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private void awaitOutput(String name, Process p, String text, Duration within) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(50))
          .failFast(() -> !p.isAlive())
          .until(() -> Files.exists(log(name)) && Files.readString(log(name)).contains(text));
    } catch (org.awaitility.core.ConditionTimeoutException
        | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(
          "labloop " + name + " did not print '" + text + "':\n" + RunProcesses.tail(log(name)), e);
    }
  }

  private Process startDaemon(String name, Path data, String url, Path lab) throws IOException {
    Files.createDirectories(data);
    Path settings = dir.resolve(name + ".yaml");
    Files.writeString(
        settings,
        "lab: "
            + lab
            + "\ndata: "
            + data
            + "\nname: "
            + name
            + "\napi: { port: 0 }\nstore: { url: '"
            + url
            + "', user: labloop }\nshutdown-grace: 5s\nschedule: { health-check: 1s }\n",
        StandardCharsets.UTF_8);
    Process p = start(name, "daemon", "--config", settings.toString());
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .failFast(() -> !p.isAlive())
          .until(
              () -> {
                if (!Files.exists(data.resolve("url"))) return false;
                try {
                  return "ok".equals(client(data).health().get("status"));
                } catch (RuntimeException e) {
                  return false;
                }
              });
    } catch (org.awaitility.core.ConditionTimeoutException
        | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(name + " did not start:\n" + RunProcesses.tail(log(name)), e);
    }
    return p;
  }

  /**
   * The site's lab: the robot on agent robot-pc, the spectrometer (a pty) on agent spectro-pc, the
   * XRD on the broker directly; the virtual lab's XRD uses the same (external) broker.
   */
  private Path writeLab(int robotPort) throws IOException {
    Path lab = dir.resolve("lab.yaml");
    Files.writeString(
        lab,
        """
        lab: site-lab
        agents:
          broker: %1$s
          heartbeat: 1s
        instruments:
          robot:
            agent: robot-pc
            driver: opcua
            endpoint: opc.tcp://127.0.0.1:%2$d/labloop
            security: { policy: None }
            variables: { Door: "ns=2;s=Robot.Door" }
            commands:
              synthesize:
                method: { object: "ns=2;s=Robot", method: "ns=2;s=Robot.Synthesize" }
                inputs: [temperature, time, concentration, solvent]
                outputs: [sampleId, actualTemperature]
                timeout: 40s
                idempotent: false
                requires: { robot.Door: Closed }
            limits:
              temperature: { min: 20, max: 250, unit: degC }
          spectrometer:
            agent: spectro-pc
            driver: serial
            port: %3$s/uvvis
            baud: 115200
            commands:
              measure:
                send: "MEAS {sampleId}"
                expect: '^OK peak=(?<peak>[0-9.]+) fwhm=(?<fwhm>[0-9.]+)$'
                error: '^ERR (?<message>.*)$'
                timeout: 40s
                idempotent: false
          xrd:
            driver: mqtt
            broker: %1$s
            commands:
              scan:
                request: lab/xrd/scan
                payload: { sample: "{sampleId}" }
                outputs: [crystallinity]
                timeout: 30s
                idempotent: false
        simulation:
          seed: 11
          time-scale: 0.001
          broker: external
          world: { model: silver-nanoparticles }
          instruments:
            robot:        { role: synthesizer, duration: 30m, noise: { temperature: 0.5 } }
            spectrometer: { role: measurer, measures: [peak, fwhm], duration: 20m, noise: { peak: 0.5 } }
            xrd:          { role: measurer, measures: [crystallinity], duration: 10m, noise: { crystallinity: 0.01 } }
        """
            .formatted(broker(), robotPort, dir.toAbsolutePath()),
        StandardCharsets.UTF_8);
    return lab;
  }

  private Path writeCampaign() throws IOException {
    Path campaign = dir.resolve("campaign.yaml");
    Files.writeString(
        campaign,
        """
        campaign: site-silver
        lab: lab.yaml
        parameters:
          temperature:   { type: continuous, min: 40, max: 200, unit: degC }
          time:          { type: continuous, min: 1, max: 60, unit: min, scale: log }
          concentration: { type: continuous, min: 0.1, max: 2.0, unit: mM }
          solvent:       { type: categorical, values: [water, ethanol, ethylene-glycol] }
        workflow:
          - { instrument: robot, command: synthesize,
              args: { temperature: $temperature, time: $time, concentration: $concentration, solvent: $solvent } }
          - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
          - { instrument: xrd, command: scan, args: { sampleId: $synthesize.sampleId } }
        objectives:
          - { name: peak, from: measure.peak, goal: target, value: 520, tolerance: 5, unit: nm }
          - { name: crystallinity, from: scan.crystallinity, goal: maximize }
        planner: { type: random, seed: 42 }
        budget:
          experiments: %d
        on-interrupt: retry
        """
            .formatted(BUDGET),
        StandardCharsets.UTF_8);
    return campaign;
  }

  private static LabLoopClient client(Path data) {
    return new LabLoopClient(ClientSettings.resolve(null, null, data, Map.of()));
  }

  private Store store(String url) {
    return Store.open(StoreLocation.jdbc(url, "labloop", "", dir.resolve("check")));
  }

  private static boolean measureInFlight(Path journal) throws IOException {
    return Files.exists(journal) && states(journal).containsValue("STARTED");
  }

  private static String lastStartedKey(Path journal) throws IOException {
    String last = null;
    for (Map.Entry<String, String> e : states(journal).entrySet())
      if (e.getValue().equals("STARTED")) last = e.getKey();
    return last;
  }

  /** The agent journal's keys and their last state. */
  private static Map<String, String> states(Path journal) throws IOException {
    Map<String, String> state = new LinkedHashMap<>();
    for (String line : Files.readAllLines(journal)) {
      if (line.isBlank() || !line.endsWith("}")) continue;
      java.util.regex.Matcher key = KEY.matcher(line);
      java.util.regex.Matcher st = STATE.matcher(line);
      if (key.find() && st.find()) state.put(key.group(1), st.group(1));
    }
    return state;
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

  private static String interruptedMeasure(String runId) {
    return "SELECT COUNT(*) FROM steps WHERE command = 'measure' AND status = 'INTERRUPTED'"
        + " AND run_id = '"
        + runId
        + "'";
  }

  private static String takeoverEventSql(String runId) {
    return "SELECT COUNT(*) FROM events WHERE kind = 'takeover' AND run_id = '" + runId + "'";
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
