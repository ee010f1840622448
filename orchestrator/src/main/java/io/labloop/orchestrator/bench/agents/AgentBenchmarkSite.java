package io.labloop.orchestrator.bench.agents;

import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.agent.AgentLink;
import io.labloop.orchestrator.agent.BrokerSettings;
import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.agent.RemoteInstrument;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.Objective;
import io.labloop.planners.Parameter;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.Space;
import io.labloop.simulators.mqtt.EmbeddedBroker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code labloop bench agents} (2): a simulated site. {@code agents} agents each serve {@code
 * perAgent} timed instruments (every command takes the same fixed duration, no protocol) on the
 * embedded HiveMQ CE broker; one daemon side (one {@link AgentLink}, one {@link Lab} of {@link
 * RemoteInstrument}s, one store) runs {@code campaigns} campaigns at once. Each campaign owns an
 * equal share of the instruments, in agent order, and its workflow is one step on each of them in
 * turn (a flow shop, every command non-idempotent so it passes the agent's journal). With {@code m}
 * stages of duration {@code d} and {@code n} experiments, no schedule beats {@code (n + m - 1) d}:
 * the first experiment needs all m stages, then the last stage must still serve the other n - 1.
 * Agents, broker and daemon side share this JVM, so the CPU time and heap reported are the whole
 * site's, an upper bound for the daemon's own.
 */
public final class AgentBenchmarkSite {

  /** Result of (2); times in seconds, memory in MiB. */
  public record Site(
      int agents,
      int instrumentsPerAgent,
      int campaigns,
      int experimentsPerCampaign,
      double stepSeconds,
      List<Integer> donePerCampaign,
      double makespanSeconds,
      double lowerBoundSeconds,
      double experimentsPerSecond,
      double cpuSeconds,
      double heapUsedMiB,
      double heapPeakMiB) {
    public double ratio() {
      return makespanSeconds / lowerBoundSeconds;
    }

    /** CPU time over wall time: 1.0 is one core busy all along. */
    public double cores() {
      return cpuSeconds / makespanSeconds;
    }
  }

  private static final Duration CONNECT = Duration.ofSeconds(60);

  public Site run(
      int agents, int perAgent, int campaigns, int experiments, Duration step, Path work)
      throws Exception {
    int instruments = agents * perAgent;
    if (campaigns < 1 || instruments % campaigns != 0)
      throw new IllegalArgumentException(
          instruments + " instruments cannot be shared equally by " + campaigns + " campaigns");
    int stages = instruments / campaigns;
    Files.createDirectories(work);
    LabConfig lab = siteLab(agents, perAgent, step, "tcp://127.0.0.1:0");
    List<InstrumentAgent> started = new ArrayList<>();
    try (EmbeddedBroker broker =
            EmbeddedBroker.start(URI.create("tcp://127.0.0.1:0"), work.resolve("broker"));
        Drivers drivers = Drivers.of(List.of(new AgentBenchmarkTimedDriver()))) {
      BrokerSettings settings = BrokerSettings.plain(broker.uri().toString());
      try (AgentLink link = new AgentLink(settings);
          Store store = Store.open(StoreLocation.sqlite(work.resolve("daemon")))) {
        for (int a = 0; a < agents; a++) {
          InstrumentAgent agent =
              new InstrumentAgent(agentName(a), lab, settings, work.resolve("agents"), drivers);
          started.add(agent);
          agent.start(CONNECT);
        }
        link.connect(CONNECT);
        Map<String, Instrument> remote = new LinkedHashMap<>();
        for (InstrumentConfig i : lab.instruments().values()) {
          RemoteInstrument r =
              new RemoteInstrument(i, InstrumentAgent.agentOf(i).orElseThrow(), link);
          r.connect().get(CONNECT.toSeconds(), TimeUnit.SECONDS);
          remote.put(i.name(), r);
        }
        Lab daemonLab = Lab.of(lab, remote);
        List<String> names = new ArrayList<>(lab.instruments().keySet());

        resetPeaks();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        List<CompletableFuture<RunSummary>> runs = new ArrayList<>();
        for (int c = 0; c < campaigns; c++) {
          CampaignConfig campaign =
              campaign(lab, c, names.subList(c * stages, (c + 1) * stages), experiments);
          runs.add(
              CampaignEngine.builder()
                  .campaign(campaign)
                  .lab(daemonLab)
                  .store(store)
                  .planner(seed -> Planners.create(new PlannerSpec("random", seed, Map.of())))
                  .restart(true)
                  .build()
                  .start());
        }
        List<Integer> done = new ArrayList<>();
        for (CompletableFuture<RunSummary> r : runs) {
          RunSummary s = r.get(30, TimeUnit.MINUTES);
          done.add(
              (int)
                  s.experiments().stream()
                      .filter(e -> e.status() == ExperimentStatus.DONE)
                      .count());
        }
        double makespan = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        double stepSeconds = step.toNanos() / 1e9;
        double lowerBound = (experiments + stages - 1) * stepSeconds;
        return new Site(
            agents,
            perAgent,
            campaigns,
            experiments,
            stepSeconds,
            done,
            makespan,
            lowerBound,
            done.stream().mapToInt(Integer::intValue).sum() / makespan,
            cpu,
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0,
            peakHeap() / 1048576.0);
      } finally {
        for (InstrumentAgent a : started) a.close();
      }
    }
  }

  static String agentName(int a) {
    return String.format("agent-%02d", a + 1);
  }

  private static LabConfig siteLab(int agents, int perAgent, Duration step, String broker) {
    Map<String, InstrumentConfig> instruments = new LinkedHashMap<>();
    for (int a = 0; a < agents; a++)
      for (int k = 1; k <= perAgent; k++) {
        String name = agentName(a) + "-i" + k;
        InstrumentSpec spec =
            new InstrumentSpec(
                name,
                AgentBenchmarkTimedDriver.TYPE,
                Map.of(
                    "driver",
                    AgentBenchmarkTimedDriver.TYPE,
                    "agent",
                    agentName(a),
                    "duration-ms",
                    Long.toString(step.toMillis())),
                Path.of("."));
        instruments.put(
            name,
            new InstrumentConfig(
                name,
                AgentBenchmarkTimedDriver.TYPE,
                spec,
                Map.of(
                    "measure",
                    new CommandConfig(
                        "measure", Duration.ofMinutes(1), false, List.of("value"), Map.of())),
                Map.of(),
                1,
                Optional.empty()));
      }
    return new LabConfig(
        Path.of("site-lab"),
        "site-lab",
        instruments,
        Optional.empty(),
        Map.of("agents", Map.of("broker", broker)));
  }

  private static CampaignConfig campaign(
      LabConfig lab, int index, List<String> stages, int experiments) {
    Space space = new Space(List.of(new Parameter.Continuous("x", 0, 1)), List.of());
    List<WorkflowStep> workflow = new ArrayList<>();
    for (int s = 0; s < stages.size(); s++)
      workflow.add(
          new WorkflowStep(
              "s" + (s + 1),
              stages.get(s),
              "measure",
              Map.of("x", new WorkflowStep.Arg.ParameterRef("x"))));
    String name = "site-" + (index + 1);
    String text = "campaign: " + name + "\n# built by labloop bench agents\n";
    return new CampaignConfig(
        Path.of(name + ".yaml"),
        text,
        Integer.toHexString(text.hashCode()),
        name,
        lab,
        space,
        List.of(
            new CampaignConfig.ObjectiveSource(
                new Objective.Maximize("value"),
                new CampaignConfig.OutputRef("s" + stages.size(), "value"),
                "")),
        workflow,
        new PlannerSpec("random", index + 1, Map.of()),
        new CampaignConfig.Budget(OptionalInt.of(experiments), Optional.empty()),
        new CampaignConfig.StopRules(false, OptionalInt.empty()),
        CampaignConfig.OnInterrupt.FAIL,
        Optional.empty(),
        CampaignConfig.Approval.AUTO,
        Map.of());
  }

  /** CPU time of this whole process so far (every thread), in nanoseconds; -1 if unknown. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
  }

  /** The sum of the heap pools' peaks since {@link #resetPeaks}: an upper bound of the peak. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
      if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
    return sum;
  }
}
