package io.labloop.orchestrator.config;

import io.labloop.planners.Objective;
import io.labloop.planners.Observation;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Space;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed, checked {@code campaign.yaml}, with the lab it runs on.
 *
 * @param file where it was read from
 * @param text the exact YAML text (stored with the campaign for provenance)
 * @param sha256 hex SHA-256 of {@code text}
 * @param name the {@code campaign:} name
 * @param lab the lab file named by {@code lab:} (relative to the campaign file)
 * @param space parameters, constraints and an optional candidate pool
 * @param objectives what is wanted, with where each value comes from
 * @param workflow the steps each experiment runs, in order
 * @param planner the {@code planner:} block
 * @param budget how many experiments and how much time
 * @param stop stop rules besides the budget
 * @param onInterrupt what to do with an experiment cut short by a crash
 * @param schedule a cron expression for a planned start, if any
 * @param approval {@code auto}, or {@code manual} when a person approves each suggestion
 * @param achieved parameter name to the step output that reads back what was really done
 * @param priorData the planner's {@code prior-data:}: earlier observations for a warm start
 */
public record CampaignConfig(
    Path file,
    String text,
    String sha256,
    String name,
    LabConfig lab,
    Space space,
    List<ObjectiveSource> objectives,
    List<WorkflowStep> workflow,
    PlannerSpec planner,
    Budget budget,
    StopRules stop,
    OnInterrupt onInterrupt,
    Optional<String> schedule,
    Approval approval,
    Map<String, OutputRef> achieved,
    List<PriorSource> priorData) {

  /** A campaign without prior data. */
  public CampaignConfig(
      Path file,
      String text,
      String sha256,
      String name,
      LabConfig lab,
      Space space,
      List<ObjectiveSource> objectives,
      List<WorkflowStep> workflow,
      PlannerSpec planner,
      Budget budget,
      StopRules stop,
      OnInterrupt onInterrupt,
      Optional<String> schedule,
      Approval approval,
      Map<String, OutputRef> achieved) {
    this(
        file,
        text,
        sha256,
        name,
        lab,
        space,
        objectives,
        workflow,
        planner,
        budget,
        stop,
        onInterrupt,
        schedule,
        approval,
        achieved,
        List.of());
  }

  public CampaignConfig {
    priorData = List.copyOf(priorData);
    objectives = List.copyOf(objectives);
    workflow = List.copyOf(workflow);
    achieved = Collections.unmodifiableMap(new LinkedHashMap<>(achieved));
  }

  /** The objectives as the planner sees them. */
  public List<Objective> plannerObjectives() {
    return objectives.stream().map(ObjectiveSource::objective).toList();
  }

  /** An objective and the step output its value is taken from ({@code from: measure.peak}). */
  public record ObjectiveSource(Objective objective, OutputRef from, String unit) {}

  /** {@code step.output}: an output of an earlier step, by the step's id. */
  public record OutputRef(String step, String output) {
    @Override
    public String toString() {
      return step + "." + output;
    }
  }

  /**
   * @param experiments at most this many experiments reach an instrument (failed ones count)
   * @param wallTime stop starting experiments after this long
   */
  public record Budget(OptionalInt experiments, Optional<Duration> wallTime) {}

  /**
   * @param targetReached stop when every target objective is within tolerance
   * @param noImprovementFor stop after this many experiments without a better result
   */
  public record StopRules(boolean targetReached, OptionalInt noImprovementFor) {}

  /**
   * One entry of {@code prior-data:}. {@code task} is empty for data of this campaign's own
   * setting, else the name of the related setting they come from.
   */
  public sealed interface PriorSource {
    String task();

    /** {@code { campaign: NAME }}: the observations of that campaign's latest run in the store. */
    record FromCampaign(String campaign, String task) implements PriorSource {}

    /** {@code { file: old.csv }}: rows read and checked when the campaign file was read. */
    record FromFile(Path file, String task, List<Observation> observations) implements PriorSource {
      public FromFile {
        observations = List.copyOf(observations);
      }
    }
  }

  public enum OnInterrupt {
    FAIL,
    RETRY,
    HOLD
  }

  public enum Approval {
    AUTO,
    MANUAL
  }
}
