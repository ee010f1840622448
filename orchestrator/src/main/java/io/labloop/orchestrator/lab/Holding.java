package io.labloop.orchestrator.lab;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a lease on an instrument now, for people watching the lab (the console's instruments
 * page): the holder the queue is fair across (a campaign's name, {@code health-check}, {@code
 * calibration}) and, for a campaign's step, which run, experiment and step it is for.
 *
 * @param holder the campaign's name, or what else leased it
 * @param run the run id ({@code silver/2}), or null when no run holds it
 * @param experiment the experiment number, or null
 * @param step the workflow step id, or null
 * @param since when the lease was granted
 */
public record Holding(
    String holder,
    @Nullable String run,
    @Nullable Integer experiment,
    @Nullable String step,
    Instant since) {

  /** What a lease is for, given when it is asked for. */
  public record Purpose(@Nullable String run, @Nullable Integer experiment, @Nullable String step) {
    public static final Purpose NONE = new Purpose(null, null, null);
  }
}
