package io.labloop.orchestrator.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * agent}; the virtual lab (with its embedded HiveMQ CE broker), the agent and the campaign are
 * three real {@code labloop} processes. The agent is SIGKILLed while a measure is in flight and
 * started again: the daemon sends the unanswered request again, the new agent answers it from its
 * journal ("interrupted", never sent twice), and the campaign's {@code on-interrupt: retry} runs
 * the experiment again within the budget.
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

      Process run = p.start("run", "run", campaign.toString(), "--data", "run");
      Path journal = dir.resolve("agent/agent-spectro-pc.journal");
      // Kill it while the second measure is in flight: one key DONE, a later one only STARTED.
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(5))
            .failFast(() -> !run.isAlive())
            .until(() -> inFlight(journal) && Files.readString(journal).contains("\"DONE\""));
      } catch (org.awaitility.core.ConditionTimeoutException
          | org.awaitility.core.TerminalFailureException e) {
        throw new AssertionError(
            "no measure in flight through the agent\n" + p.tail("run") + "\n" + p.tail("agent"), e);
      }
      agent.destroyForcibly();
      assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
      String keyInFlight = lastStartedKey(journal);

      Process again = p.start("agent-again", agentArgs);
      assertTrue(run.waitFor(180, TimeUnit.SECONDS), () -> "the run finishes\n" + p.tail("run"));
      assertEquals(
          0, run.exitValue(), () -> p.tail("run") + "\n--- agent:\n" + p.tail("agent-again"));
      assertTrue(again.isAlive(), () -> p.tail("agent-again"));
      assertTrue(
          p.output("agent-again").contains(keyInFlight),
          () -> "the restarted agent reports the interrupted key\n" + p.tail("agent-again"));

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
