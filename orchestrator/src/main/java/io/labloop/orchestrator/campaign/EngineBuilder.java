package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.threads.Timers;
import io.labloop.planners.Planner;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongFunction;

/**
 * How to assemble a {@link CampaignEngine} ({@link CampaignEngine#builder()}); campaign, lab, store
 * and planner are required, the rest has defaults that suit a real lab.
 */
public final class EngineBuilder {
  CampaignConfig campaign;
  Lab lab;
  Store store;
  LongFunction<Planner> planner;
  Long seed;
  boolean restart;
  Duration interlockPoll = Duration.ofMillis(250);
  Clock clock = Clock.systemUTC();
  int maxInFlight = Integer.MAX_VALUE;
  Timers timers;

  EngineBuilder() {}

  /**
   * At most this many experiments planned or running at once (default: as many as keep the
   * instruments busy; see the {@link CampaignEngine} class comment). 1 runs experiments strictly
   * one after another.
   */
  public EngineBuilder maxInFlight(int maxInFlight) {
    if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1");
    this.maxInFlight = maxInFlight;
    return this;
  }

  public EngineBuilder campaign(CampaignConfig campaign) {
    this.campaign = campaign;
    return this;
  }

  public EngineBuilder lab(Lab lab) {
    this.lab = lab;
    return this;
  }

  public EngineBuilder store(Store store) {
    this.store = store;
    return this;
  }

  /** Makes the planner for a seed: a resumed run uses the seed it was started with. */
  public EngineBuilder planner(LongFunction<Planner> planner) {
    this.planner = planner;
    return this;
  }

  /** The seed of a new run (default: the campaign's {@code planner.seed}). */
  public EngineBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Start a new run even if one is unfinished (the old one is kept). */
  public EngineBuilder restart(boolean restart) {
    this.restart = restart;
    return this;
  }

  /** How often a step held by an interlock reads the variables again. */
  public EngineBuilder interlockPoll(Duration poll) {
    this.interlockPoll = poll;
    return this;
  }

  /** What the engine reads the time from: stop rules, interlock holds, journal times. */
  public EngineBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Where the watchdog, interlock re-reads and the shutdown drain wait (default: real time on the
   * engine thread). A test gives fake timers that go with a fake {@link #clock}.
   */
  public EngineBuilder timers(Timers timers) {
    this.timers = timers;
    return this;
  }

  public CampaignEngine build() {
    return new CampaignEngine(this);
  }
}
