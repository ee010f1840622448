package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.planners.Point;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a run stops: its budget (experiments that reached an instrument), its wall time, a target
 * reached, or no improvement for a number of experiments. The last two look at the best experiment
 * so far, so that standing is kept here, fed with every DONE experiment in the order they ended (on
 * resume, in the stored order), and shown by the engine in its progress.
 *
 * <p>Separate from the engine because the rules are pure decisions on counts and the standing; the
 * engine only asks after each event and acts on the answer. Touched only on the engine thread.
 */
final class StopRules {

  private final CampaignConfig campaign;
  private final Scoring scoring;
  private final Clock clock;
  private Best best;
  private int doneSinceBest;

  StopRules(CampaignConfig campaign, Clock clock) {
    this.campaign = campaign;
    this.scoring = new Scoring(campaign.plannerObjectives());
    this.clock = clock;
  }

  /**
   * A DONE experiment: it becomes the best if it beats the best so far, else it counts as no
   * improvement.
   */
  void observed(int seq, Point point, Map<String, Double> values) {
    if (best == null || scoring.compare(values, best.values()) < 0) {
      best = new Best(seq, point, values);
      doneSinceBest = 0;
    } else {
      doneSinceBest++;
    }
  }

  Optional<Best> best() {
    return Optional.ofNullable(best);
  }

  /**
   * Why the run should stop now, if it should.
   *
   * @param counted experiments that reached an instrument
   * @param experiments every experiment of the run, including those that never reached one
   */
  Optional<String> reason(Instant runStarted, int counted, int experiments) {
    OptionalInt budget = campaign.budget().experiments();
    if (budget.isPresent() && counted >= budget.getAsInt()) {
      return Optional.of("budget of " + budget.getAsInt() + " experiments reached");
    }
    Optional<Duration> wall = campaign.budget().wallTime();
    if (wall.isPresent() && !clock.instant().isBefore(runStarted.plus(wall.get()))) {
      return Optional.of(
          "wall time of " + wall.get().toString().substring(2).toLowerCase() + " reached");
    }
    if (campaign.stop().targetReached() && best != null && scoring.targetsMet(best.values())) {
      return Optional.of("target reached by experiment #" + best.seq());
    }
    OptionalInt patience = campaign.stop().noImprovementFor();
    if (patience.isPresent() && best != null && doneSinceBest >= patience.getAsInt()) {
      return Optional.of("no improvement in the last " + patience.getAsInt() + " experiments");
    }
    // a campaign whose experiments keep failing before any instrument would otherwise plan forever
    if (budget.isPresent() && experiments >= 2 * budget.getAsInt() + 20) {
      return Optional.of("too many experiments ended before reaching an instrument");
    }
    return Optional.empty();
  }
}
