package io.labloop.orchestrator.campaign;

import io.labloop.drivers.InstrumentSpec;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.config.Limit;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.Parameter;
import io.labloop.planners.Planner;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.PlanningState;
import io.labloop.planners.Point;
import io.labloop.planners.Space;
import io.labloop.planners.Suggestion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;

/**
 * A two-instrument lab in memory (robot: synthesize -> sampleId, actualTemperature; spectrometer:
 * measure -> peak = 400 + temperature) and a campaign over it, with knobs for each test.
 */
final class FakeLab {

  final FakeInstrument robot =
      new FakeInstrument(
          "robot",
          c ->
              Map.of(
                  "sampleId",
                  "S-" + c.arguments().get("temperature"),
                  "actualTemperature",
                  ((Number) c.arguments().get("temperature")).doubleValue() - 0.5));
  final FakeInstrument spectrometer =
      new FakeInstrument(
          "spectrometer",
          c -> {
            String sample = (String) c.arguments().get("sampleId");
            double t = Double.parseDouble(sample.substring(2));
            return Map.of("peak", 400 + t, "fwhm", 30.0);
          });

  Duration timeout = Duration.ofSeconds(5);
  boolean synthesizeIdempotent = false;
  Map<String, Object> measureRequires = Map.of();
  double robotMaxTemperature = 250;
  double spectrometerMaxTemperature = Double.NaN;
  int robotCapacity = 1;
  int budget = 6;
  CampaignConfig.OnInterrupt onInterrupt = CampaignConfig.OnInterrupt.FAIL;
  CampaignConfig.Approval approval = CampaignConfig.Approval.AUTO;
  double temperatureMax = 200;
  double temperatureMin = 40;
  String name = "fake";
  String yaml = "campaign: fake\n";

  LabConfig labConfig() {
    Map<String, InstrumentConfig> instruments = new LinkedHashMap<>();
    instruments.put(
        "robot",
        new InstrumentConfig(
            "robot",
            "fake",
            spec("robot"),
            Map.of(
                "synthesize",
                new CommandConfig(
                    "synthesize",
                    timeout,
                    synthesizeIdempotent,
                    List.of("sampleId", "actualTemperature"),
                    Map.of()),
                "abort",
                new CommandConfig("abort", timeout, true, List.of(), Map.of())),
            Map.of(
                "temperature",
                new Limit(
                    "temperature", OptionalDouble.of(20), OptionalDouble.of(robotMaxTemperature))),
            robotCapacity,
            Optional.of("abort")));
    Map<String, Limit> spectroLimits =
        Double.isNaN(spectrometerMaxTemperature)
            ? Map.of()
            : Map.of(
                "temperature",
                new Limit(
                    "temperature",
                    OptionalDouble.empty(),
                    OptionalDouble.of(spectrometerMaxTemperature)));
    instruments.put(
        "spectrometer",
        new InstrumentConfig(
            "spectrometer",
            "fake",
            spec("spectrometer"),
            Map.of(
                "measure",
                new CommandConfig(
                    "measure", timeout, true, List.of("peak", "fwhm"), measureRequires)),
            spectroLimits,
            1,
            Optional.empty()));
    return new LabConfig(
        Path.of("fake-lab.yaml"), "fake-lab", instruments, Optional.empty(), Map.of());
  }

  private static InstrumentSpec spec(String name) {
    return new InstrumentSpec(name, "fake", Map.of("driver", "fake"), Path.of("."));
  }

  Lab lab() {
    return Lab.of(labConfig(), Map.of("robot", robot, "spectrometer", spectrometer));
  }

  CampaignConfig campaign(List<WorkflowStep> extraSteps) {
    Space space =
        new Space(
            List.of(new Parameter.Continuous("temperature", temperatureMin, temperatureMax)),
            List.of());
    List<WorkflowStep> workflow = new ArrayList<>();
    workflow.add(
        new WorkflowStep(
            "synthesize",
            "robot",
            "synthesize",
            Map.of("temperature", new WorkflowStep.Arg.ParameterRef("temperature"))));
    workflow.add(
        new WorkflowStep(
            "measure",
            "spectrometer",
            "measure",
            Map.of(
                "sampleId",
                new WorkflowStep.Arg.OutputArg(
                    new CampaignConfig.OutputRef("synthesize", "sampleId")))));
    workflow.addAll(extraSteps);
    return new CampaignConfig(
        Path.of(name + ".yaml"),
        yaml,
        Integer.toHexString(yaml.hashCode()),
        name,
        labConfig(),
        space,
        List.of(
            new CampaignConfig.ObjectiveSource(
                new Objective.Target("peak", 520, 5),
                new CampaignConfig.OutputRef("measure", "peak"),
                "nm")),
        workflow,
        new PlannerSpec("uniform", 7, Map.of()),
        new CampaignConfig.Budget(OptionalInt.of(budget), Optional.empty()),
        new CampaignConfig.StopRules(false, OptionalInt.empty()),
        onInterrupt,
        Optional.empty(),
        approval,
        Map.of("temperature", new CampaignConfig.OutputRef("synthesize", "actualTemperature")));
  }

  CampaignConfig campaign() {
    return campaign(List.of());
  }

  /**
   * Uniform points from a generator seeded by the seed and how much is known, so a rebuilt planner
   * repeats itself.
   */
  static Planner uniform(long seed) {
    return new Planner() {
      @Override
      public String name() {
        return "uniform";
      }

      @Override
      public List<Suggestion> suggest(PlanningState state, int n) {
        Random r =
            new Random(seed * 31 + state.observations().size() * 7L + state.pending().size());
        Parameter.Continuous p = (Parameter.Continuous) state.space().parameters().get(0);
        List<Suggestion> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          double v = p.min() + r.nextDouble() * (p.max() - p.min());
          out.add(Suggestion.of(new Point(Map.of(p.name(), v)), "uniform", "uniform at random"));
        }
        return out;
      }
    };
  }

  static long failedObservations(List<Observation> observations) {
    return observations.stream().filter(o -> !o.isOk()).count();
  }
}
