package io.labloop.orchestrator.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.AgentView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.LabLoopClient;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.simulators.journal.CommandJournal;
import io.labloop.simulators.journal.ReceivedCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign whose spectrometer (serial, on a pty) is on another "PC", behind {@code labloop
 * agent}; the virtual lab (with its embedded HiveMQ CE broker), the agent and the daemon that runs
 * the campaign are three real {@code labloop} processes. The agent is SIGKILLed while a measure is
 * in flight: {@code GET /api/agents}, {@code /metrics} and {@code labloop status} show it offline
 * and its spectrometer OFFLINE (BRIDGE_DOWN); started again, the daemon sends the unanswered
 * request again, the new agent answers it from its journal ("interrupted", never sent twice), and
 * the campaign's {@code on-interrupt: retry} runs the experiment again within the budget. The run's
 * events hold one alert for the agent going and one info for its return.
 */
class AgentIT {

  private static final int BUDGET = 4;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aCampaignDrivesAnInstrumentBehindAnAgentAndAKilledAgentNeverMeasuresTwice()
      throws Exception {
    try (LabloopProcesses p =
        new LabloopProcesses(dir).set("MEASURE", "60m").set("BUDGET", BUDGET)) {
      Path lab = p.write("lab.yaml");
      Path campaign = p.write("campaign.yaml");
      Process sim = p.start("sim", "sim", lab.toString(), "--data", "sim");
      p.awaitOutput("sim", sim, "Press Ctrl-C", Duration.ofSeconds(90));
      String[] agentArgs = {
        "agent", lab.toString(), "--name", "spectro-pc", "--broker", p.broker(), "--data", "agent"
      };
      Process agent = p.start("agent", agentArgs);
      p.awaitOutput("agent", agent, "online on", Duration.ofSeconds(60));

      Process daemon =
          p.start("daemon", "daemon", "--lab", lab.toString(), "--data", "run", "--port", "0");
      p.awaitOutput("daemon", daemon, "ready at", Duration.ofSeconds(90));
      LabLoopClient client =
          new LabLoopClient(ClientSettings.resolve(null, null, dir.resolve("run"), Map.of()));
      AgentView seen = onlyAgent(client);
      assertTrue(seen.online(), seen::toString);
      assertEquals(List.of("spectrometer"), seen.instruments());
      // what the agent announced (its --heartbeat), not the lab file's agents: heartbeat
      assertTrue(seen.heartbeatSeconds() > 0, seen::toString);
      assertEquals(
          "spectro-pc",
          client.instruments().stream()
              .filter(i -> i.name().equals("spectrometer"))
              .findFirst()
              .orElseThrow()
              .agent());
      String id = client.submit("campaign.yaml", Files.readString(campaign)).id();
      Path journal = dir.resolve("agent/agent-spectro-pc.journal");
      // Kill it while the second measure is in flight: one key DONE, a later one only STARTED.
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(5))
            .failFast(() -> !daemon.isAlive())
            .until(() -> inFlight(journal) && Files.readString(journal).contains("\"DONE\""));
      } catch (org.awaitility.core.ConditionTimeoutException
          | org.awaitility.core.TerminalFailureException e) {
        throw new AssertionError(
            "no measure in flight through the agent\n" + p.tail("daemon") + "\n" + p.tail("agent"),
            e);
      }
      agent.destroyForcibly();
      assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
      String keyInFlight = lastStartedKey(journal);

      // Its Last Will: the API, the metrics and labloop status say so before it is back.
      AgentView gone =
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> onlyAgent(client), a -> !a.online());
      assertFalse(gone.reason().isEmpty(), gone::toString);
      assertTrue(
          client.instruments().stream()
              .anyMatch(
                  i ->
                      i.name().equals("spectrometer")
                          && i.status().equals("OFFLINE")
                          && "BRIDGE_DOWN".equals(i.reasonKind())),
          () -> client.instruments().toString());
      assertTrue(
          metrics(client).contains("labloop_agent_online{agent=\"spectro-pc\"} 0.0"),
          () -> metrics(client));
      String status = status(dir.resolve("run"));
      assertTrue(
          status.contains("AGENTS") && status.matches("(?s).*spectro-pc +OFFLINE .*spectrometer.*"),
          status);

      Process again = p.start("agent-again", agentArgs);
      String ended;
      try {
        ended =
            await()
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .failFast(() -> !daemon.isAlive())
                .until(
                    () -> client.campaign(id).status(),
                    st -> !st.equals("RUNNING") && !st.equals("SCHEDULED"));
      } catch (org.awaitility.core.ConditionTimeoutException
          | org.awaitility.core.TerminalFailureException e) {
        throw new AssertionError("the campaign finishes\n" + p.tail("daemon"), e);
      }
      assertEquals(
          "DONE", // the API's name of a run that completed its budget
          ended,
          () -> p.tail("daemon") + "\n--- agent:\n" + p.tail("agent-again"));
      AgentView back = onlyAgent(client);
      assertTrue(back.online(), back::toString);
      assertTrue(
          metrics(client).contains("labloop_agent_online{agent=\"spectro-pc\"} 1.0"),
          () -> metrics(client));
      assertTrue(
          metrics(client).contains("labloop_agent_heartbeat_age_seconds{agent=\"spectro-pc\"}"),
          () -> metrics(client));
      assertTrue(again.isAlive(), () -> p.tail("agent-again"));
      assertTrue(
          p.output("agent-again").contains(keyInFlight),
          () -> "the restarted agent reports the interrupted key\n" + p.tail("agent-again"));
      daemon.destroy(); // the store is read below, with the daemon stopped
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), () -> p.tail("daemon"));

      try (Store store = Store.open(StoreLocation.sqlite(dir.resolve("run")))) {
        RunRecord r = store.latestRun("agent-silver").orElseThrow();
        assertEquals(RunStatus.COMPLETED, r.status());
        List<ExperimentRecord> experiments = store.experiments(r.id());
        assertEquals(BUDGET, experiments.stream().filter(ExperimentRecord::reached).count());
        List<StepRecord> steps = store.steps(r.id());
        StepRecord interrupted =
            steps.stream()
                .filter(s -> s.status() == StepStatus.INTERRUPTED)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no step was interrupted: " + steps));
        assertEquals("measure", interrupted.command());
        assertEquals(keyInFlight, interrupted.idempotencyKey());
        assertTrue(
            interrupted.error().orElse("").contains("agent stopped"),
            () -> interrupted.error().toString());
        // on-interrupt: retry applies: a retry, or (every experiment of the budget already
        // planned) the event saying there is no budget left for one
        assertTrue(
            store.events(r.id()).stream()
                .anyMatch(
                    e ->
                        e.seq().equals(java.util.OptionalInt.of(interrupted.seq()))
                                && e.kind().name().startsWith("RETRY")
                            || e.message().contains("retries #" + interrupted.seq())),
            () ->
                "on-interrupt: retry applied to the interrupted experiment: "
                    + store.events(r.id()));
        assertAgentWentAndCameBackOnce(store.events(r.id()));
      }
      assertEachSampleMeasuredOnce(dir.resolve("sim/virtual-lab"));
    }
  }

  /**
   * The killed agent is one ALERT in the run's events, naming its instruments, and its return one
   * INFO after it.
   */
  static void assertAgentWentAndCameBackOnce(List<EventRecord> events) {
    List<EventRecord> offline =
        events.stream().filter(e -> e.kind() == EventKind.AGENT_OFFLINE).toList();
    List<EventRecord> online =
        events.stream().filter(e -> e.kind() == EventKind.AGENT_ONLINE).toList();
    assertEquals(1, offline.size(), () -> "one alert for the killed agent: " + offline);
    assertEquals(Severity.ALERT, offline.get(0).severity());
    assertTrue(
        offline.get(0).message().contains("agent spectro-pc is offline")
            && offline.get(0).message().contains("spectrometer"),
        offline.get(0).message());
    assertEquals(1, online.size(), () -> "one event for its return: " + online);
    assertEquals(Severity.INFO, online.get(0).severity());
    assertTrue(online.get(0).ordinal() > offline.get(0).ordinal(), () -> events.toString());
  }

  private static AgentView onlyAgent(LabLoopClient client) {
    List<AgentView> agents = client.agents();
    assertEquals(1, agents.size(), agents::toString);
    assertEquals("spectro-pc", agents.get(0).name());
    return agents.get(0);
  }

  private static String metrics(LabLoopClient client) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(client.url().resolve("/metrics")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code labloop status} in this JVM (no process start), its output. */
  private static synchronized String status(Path data) {
    java.io.PrintStream out = System.out;
    var o = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
      int code = io.labloop.orchestrator.cli.Main.run("status", "--data", data.toString());
      assertEquals(0, code, () -> o.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
    }
    return o.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The virtual spectrometer received each sample's measure at most once. */
  static void assertEachSampleMeasuredOnce(Path virtualLab) {
    Map<String, Integer> bySample = new HashMap<>();
    List<ReceivedCommand> received = new CommandJournal(virtualLab).entries("spectrometer");
    for (ReceivedCommand c : received)
      if (c.command().equals("measure"))
        bySample.merge(String.valueOf(c.arguments().get("sampleId")), 1, Integer::sum);
    assertFalse(bySample.isEmpty(), "the spectrometer was reached through the agent");
    bySample.forEach(
        (sample, n) -> assertEquals(1, n, "sample " + sample + " was measured " + n + " times"));
  }

  private static boolean inFlight(Path journal) throws java.io.IOException {
    if (!Files.exists(journal)) return false;
    Map<String, String> state = states(journal);
    return state.values().stream().anyMatch(s -> s.equals("STARTED"));
  }

  private static String lastStartedKey(Path journal) throws java.io.IOException {
    String last = null;
    for (Map.Entry<String, String> e : states(journal).entrySet())
      if (e.getValue().equals("STARTED")) last = e.getKey();
    return last;
  }

  private static Map<String, String> states(Path journal) throws java.io.IOException {
    Map<String, String> state = new LinkedHashMap<>();
    for (String line : Files.readAllLines(journal)) {
      if (line.isBlank() || !line.endsWith("}")) continue;
      Map<String, Object> m = AgentMessages.readLine(line);
      state.put(String.valueOf(m.get("key")), String.valueOf(m.get("state")));
    }
    return state;
  }
}
