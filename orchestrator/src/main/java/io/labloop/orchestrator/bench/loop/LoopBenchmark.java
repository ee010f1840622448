package io.labloop.orchestrator.bench.loop;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.BuiltInFiles;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.Objective;
import io.labloop.planners.Parameter;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.planners.Space;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * {@code labloop bench loop}: what the orchestrator costs and how well it keeps instruments busy.
 *
 * <p>(a) Throughput: a campaign of N two-step experiments (synthesize on OPC UA, measure on a
 * serial pty) on the virtual lab with zero durations and the random planner, run twice: as the
 * engine normally runs (pipelined) for experiments per second, and one experiment at a time, where
 * a step's cost is plain to see: the orchestrator's own time per step is the time per experiment
 * divided by its two steps, minus the drivers' bare round trip for the same commands (measured
 * first, through the same drivers, with nothing around them). That time is planning, leasing, limit
 * checks and four committed store transactions per step.
 *
 * <p>(b) Makespan: 40 experiments on two synthesizers (one instrument of capacity 2) and one
 * measurer that is the bottleneck, with fixed durations and no protocol (in-process timed
 * instruments), against the lower bound: the measurer's total work divided by its capacity, plus
 * the one synthesis that must precede its first measurement (nothing needs to follow its last). The
 * ratio says how much the scheduling loses.
 */
public final class LoopBenchmark {

  /** Result of (a). Times in milliseconds. */
  public record Throughput(
      int experiments,
      double pipelinedSeconds,
      double experimentsPerSecond,
      int sequentialExperiments,
      double sequentialMsPerExperiment,
      double bareSynthesizeMs,
      double bareMeasureMs,
      double orchestratorMsPerStep,
      double journaledStepMs) {}

  /** Result of (b). Times in seconds. */
  public record Makespan(
      int experiments,
      double synthesizeSeconds,
      double measureSeconds,
      double makespanSeconds,
      double lowerBoundSeconds,
      double ratio,
      int maxConcurrentSyntheses,
      int done) {}

  private final ConfigLoader loader;

  public LoopBenchmark(ConfigLoader loader) {
    this.loader = loader;
  }

  // ------------------------------------------------------------------ (a)

  public Throughput throughput(int experiments, int sequential, Path work) throws Exception {
    Files.createDirectories(work);
    Map<String, String> values =
        Map.of("DIR", work.toAbsolutePath().toString(), "N", Integer.toString(experiments));
    BuiltInFiles.write(LoopBenchmark.class, "loop-bench-lab.yaml", work, values);
    Path campaignFile =
        BuiltInFiles.write(LoopBenchmark.class, "loop-bench-campaign.yaml", work, values);
    CampaignConfig campaign = loader.loadCampaign(campaignFile);
    try (VirtualLabs.Running sim =
            VirtualLabs.start(campaign.lab(), work.resolve("sim"), Map.of(), true);
        Lab lab = Lab.connect(sim.config(), Drivers.standard(), Duration.ofSeconds(30))) {
      double[] bare = bareRoundTrips(lab, 100, 400);

      long t0 = System.nanoTime();
      run(campaign, lab, work.resolve("pipelined"), Integer.MAX_VALUE);
      double pipelined = (System.nanoTime() - t0) / 1e9;

      CampaignConfig shorter = withBudget(campaign, sequential);
      long t1 = System.nanoTime();
      Path seqData = work.resolve("sequential");
      run(shorter, lab, seqData, 1);
      double perExperimentMs = (System.nanoTime() - t1) / 1e6 / sequential;
      double journaled;
      try (Store store = Store.open(StoreLocation.sqlite(seqData))) {
        String runId = store.latestRun(campaign.name()).orElseThrow().id();
        journaled =
            store.steps(runId).stream()
                .filter(s -> s.endedAt().isPresent() && s.startedAt().isPresent())
                .mapToLong(
                    s -> s.endedAt().get().toEpochMilli() - s.startedAt().get().toEpochMilli())
                .average()
                .orElse(Double.NaN);
      }
      double ownPerStep = (perExperimentMs - bare[0] - bare[1]) / 2;
      return new Throughput(
          experiments,
          pipelined,
          experiments / pipelined,
          sequential,
          perExperimentMs,
          bare[0],
          bare[1],
          ownPerStep,
          journaled);
    }
  }

  /**
   * Mean round trip (ms) of synthesize and of measure, called directly on the drivers, one after
   * the other.
   */
  private static double[] bareRoundTrips(Lab lab, int warmup, int timed) {
    Instrument robot = lab.instrument("robot");
    Instrument spectrometer = lab.instrument("spectrometer");
    long synth = 0;
    long measure = 0;
    for (int i = 0; i < warmup + timed; i++) {
      Command s =
          new Command(
              "synthesize",
              Map.of(
                  "temperature",
                  100.0 + i % 50,
                  "time",
                  10.0,
                  "concentration",
                  1.0,
                  "solvent",
                  "water"));
      long a = System.nanoTime();
      Object sample =
          robot.execute(s).orTimeout(30, TimeUnit.SECONDS).join().outputs().get("sampleId");
      long b = System.nanoTime();
      spectrometer
          .execute(new Command("measure", Map.of("sampleId", sample)))
          .orTimeout(30, TimeUnit.SECONDS)
          .join();
      long c = System.nanoTime();
      if (i >= warmup) {
        synth += b - a;
        measure += c - b;
      }
    }
    return new double[] {synth / 1e6 / timed, measure / 1e6 / timed};
  }

  private static RunSummary run(CampaignConfig campaign, Lab lab, Path data, int maxInFlight)
      throws Exception {
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      PlannerSpec spec = campaign.planner();
      LongFunction<io.labloop.planners.Planner> planner =
          seed -> Planners.create(new PlannerSpec(spec.type(), seed, spec.options()));
      RunSummary s =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(planner)
              .maxInFlight(maxInFlight)
              .restart(true)
              .build()
              .start()
              .get();
      long done = s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count();
      if (done < s.experiments().size()) {
        throw new IllegalStateException(
            "bench run "
                + s.runId()
                + ": only "
                + done
                + " of "
                + s.experiments().size()
                + " experiments done");
      }
      return s;
    }
  }

  private static CampaignConfig withBudget(CampaignConfig c, int experiments) {
    return new CampaignConfig(
        c.file(),
        c.text(),
        c.sha256(),
        c.name(),
        c.lab(),
        c.space(),
        c.objectives(),
        c.workflow(),
        c.planner(),
        new CampaignConfig.Budget(OptionalInt.of(experiments), Optional.empty()),
        c.stop(),
        c.onInterrupt(),
        c.schedule(),
        c.approval(),
        c.achieved());
  }

  // ------------------------------------------------------------------ (b)

  public Makespan makespan(int experiments, Duration synthesize, Duration measure, Path work)
      throws Exception {
    Files.createDirectories(work);
    try (LoopBenchmarkTimedInstrument robot =
            new LoopBenchmarkTimedInstrument("robot", synthesize);
        LoopBenchmarkTimedInstrument measurer =
            new LoopBenchmarkTimedInstrument("measurer", measure);
        Store store = Store.open(StoreLocation.sqlite(work.resolve("makespan")))) {
      LabConfig labConfig = twoSynthesizersOneMeasurer();
      Lab lab = Lab.of(labConfig, Map.of("robot", robot, "measurer", measurer));
      CampaignConfig campaign = makespanCampaign(labConfig, experiments);
      long t0 = System.nanoTime();
      RunSummary s =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(seed -> Planners.create(new PlannerSpec("random", seed, Map.of())))
              .restart(true)
              .build()
              .start()
              .get();
      double makespan = (System.nanoTime() - t0) / 1e9;
      double lowerBound = experiments * measure.toNanos() / 1e9 / 1 + synthesize.toNanos() / 1e9;
      int done =
          (int) s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count();
      return new Makespan(
          experiments,
          synthesize.toNanos() / 1e9,
          measure.toNanos() / 1e9,
          makespan,
          lowerBound,
          makespan / lowerBound,
          robot.maxConcurrent(),
          done);
    }
  }

  private static LabConfig twoSynthesizersOneMeasurer() {
    InstrumentSpec robotSpec =
        new InstrumentSpec("robot", "timed", Map.of("driver", "timed"), Path.of("."));
    InstrumentSpec measurerSpec =
        new InstrumentSpec("measurer", "timed", Map.of("driver", "timed"), Path.of("."));
    Map<String, InstrumentConfig> instruments = new java.util.LinkedHashMap<>();
    instruments.put(
        "robot",
        new InstrumentConfig(
            "robot",
            "timed",
            robotSpec,
            Map.of(
                "synthesize",
                new CommandConfig(
                    "synthesize", Duration.ofMinutes(1), false, List.of("sampleId"), Map.of())),
            Map.of(),
            2,
            Optional.empty()));
    instruments.put(
        "measurer",
        new InstrumentConfig(
            "measurer",
            "timed",
            measurerSpec,
            Map.of(
                "measure",
                new CommandConfig(
                    "measure", Duration.ofMinutes(1), true, List.of("value"), Map.of())),
            Map.of(),
            1,
            Optional.empty()));
    return new LabConfig(
        Path.of("makespan-lab"), "makespan-lab", instruments, Optional.empty(), Map.of());
  }

  private static CampaignConfig makespanCampaign(LabConfig lab, int experiments) {
    Space space = new Space(List.of(new Parameter.Continuous("x", 0, 1)), List.of());
    List<WorkflowStep> workflow =
        List.of(
            new WorkflowStep(
                "synthesize",
                "robot",
                "synthesize",
                Map.of("x", new WorkflowStep.Arg.ParameterRef("x"))),
            new WorkflowStep(
                "measure",
                "measurer",
                "measure",
                Map.of(
                    "sampleId",
                    new WorkflowStep.Arg.OutputArg(
                        new CampaignConfig.OutputRef("synthesize", "sampleId")))));
    String text = "campaign: makespan\n# built by labloop bench loop\n";
    return new CampaignConfig(
        Path.of("makespan.yaml"),
        text,
        Integer.toHexString(text.hashCode()),
        "makespan",
        lab,
        space,
        List.of(
            new CampaignConfig.ObjectiveSource(
                new Objective.Maximize("value"),
                new CampaignConfig.OutputRef("measure", "value"),
                "")),
        workflow,
        new PlannerSpec("random", 1, Map.of()),
        new CampaignConfig.Budget(OptionalInt.of(experiments), Optional.empty()),
        new CampaignConfig.StopRules(false, OptionalInt.empty()),
        CampaignConfig.OnInterrupt.FAIL,
        Optional.empty(),
        CampaignConfig.Approval.AUTO,
        Map.of());
  }
}
