package io.labloop.orchestrator.console;

import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * A finished two-objective campaign run written straight into a store, as large as asked: what
 * {@code labloop bench console} opens (10,000 experiments) and what the report's tests draw. It
 * goes through the store's ordinary methods, so the rows are exactly those a real run leaves; only
 * the instruments are skipped. Every 25th experiment fails (a timeout), every experiment has a
 * planner decision with a prediction and length-scales, and the first ones have steps and a raw
 * attachment.
 */
public final class SyntheticCampaign {
  private SyntheticCampaign() {}

  /** The campaign file it stores. */
  public static String text(String name, int experiments) {
    return """
        campaign: %s
        lab: lab.yaml
        parameters:
          temperature: { type: continuous, min: 40, max: 200, unit: degC }
          time:        { type: continuous, min: 1, max: 60, unit: min, scale: log }
          solvent:     { type: categorical, values: [water, ethanol, ethylene-glycol] }
        workflow:
          - { instrument: robot, command: synthesize, args: { temperature: $temperature, time: $time, solvent: $solvent } }
          - { instrument: spectrometer, command: measure, args: { sampleId: $synthesize.sampleId } }
        objectives:
          - { name: yield, from: measure.yield, goal: maximize, unit: "%%" }
          - { name: fwhm, from: measure.fwhm, goal: minimize, unit: nm }
        planner: { type: bayesian, initial: 8, acquisition: ei, seed: 5 }
        budget: { experiments: %d }
        """
        .formatted(name, experiments);
  }

  /** Writes the run and returns it. */
  public static RunRecord write(Store store, String name, int experiments, long seed) {
    String yaml = text(name, experiments);
    String sha = io.labloop.orchestrator.api.Tokens.sha256Hex(yaml);
    store.saveCampaign(name, Path.of(name + ".yaml"), yaml, sha);
    RunRecord run = store.createRun(name, sha, seed);
    SplittableRandom random = new SplittableRandom(seed);
    List<String> solvents = List.of("water", "ethanol", "ethylene-glycol");
    Instant t = Instant.parse("2026-01-05T08:00:00Z");
    for (int seq = 1; seq <= experiments; seq++) {
      Map<String, Object> p = new LinkedHashMap<>();
      double temperature = 40 + 160 * random.nextDouble();
      double time = Math.exp(Math.log(60) * random.nextDouble());
      String solvent = solvents.get(random.nextInt(3));
      p.put("temperature", temperature);
      p.put("time", time);
      p.put("solvent", solvent);
      Point point = new Point(p);
      double predicted = 60 + 30 * Math.sin(temperature / 40);
      Suggestion why =
          new Suggestion(
              point,
              "bayesian",
              "log-EI " + String.format(java.util.Locale.ROOT, "%.2f", -random.nextDouble() * 4),
              -random.nextDouble(),
              Map.of("yield", predicted, "fwhm", 40.0),
              Map.of("yield", 5.0, "fwhm", 8.0),
              Map.of(
                  "lengthscale.temperature",
                  0.3,
                  "lengthscale.time",
                  1.4,
                  "lengthscale.solvent",
                  0.8,
                  "noise.sd",
                  0.05));
      store.planExperiment(
          run.id(), seq, point, why, ExperimentStatus.PLANNED, OptionalInt.empty());
      if (seq <= 3) {
        StepRecord step =
            new StepRecord(
                run.id(),
                seq,
                0,
                1,
                "measure",
                "spectrometer",
                "measure",
                Map.of("sampleId", "S-" + seq),
                StepStatus.STARTED,
                StepRecord.idempotencyKey(run.id(), seq, "measure"),
                t,
                Optional.of(t),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty());
        store.stepStarted(step);
        store.stepDone(
            run.id(),
            seq,
            0,
            1,
            Map.of("yield", predicted),
            List.of(
                new Store.NewAttachment(
                    "spectrum-" + seq + ".csv",
                    "text/csv",
                    ("nm,absorbance\n400,0.1\n520," + seq + "\n")
                        .getBytes(StandardCharsets.UTF_8))));
      }
      t = t.plus(Duration.ofMinutes(30));
      if (seq % 25 == 0) {
        store.finishExperiment(
            run.id(),
            seq,
            ExperimentStatus.FAILED,
            Optional.empty(),
            Map.of(),
            Optional.of("spectrometer.measure: timeout after 30 s"),
            Optional.of(Observation.failed(point)));
      } else {
        double yield = Math.max(0, predicted + 8 * random.nextGaussian() - Math.abs(time - 20) / 3);
        double fwhm =
            20
                + 0.4 * Math.abs(temperature - 150)
                + 10 * random.nextDouble()
                + (solvent.equals("water") ? 15 : 0);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("yield", yield);
        values.put("fwhm", fwhm);
        store.finishExperiment(
            run.id(),
            seq,
            ExperimentStatus.DONE,
            Optional.of(point),
            values,
            Optional.empty(),
            Optional.of(Observation.ok(point, values)));
      }
    }
    store.endRun(
        run.id(),
        io.labloop.orchestrator.store.RunStatus.COMPLETED,
        "budget of " + experiments + " experiments reached");
    return store.run(run.id()).orElseThrow();
  }
}
