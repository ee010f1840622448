package io.labloop.orchestrator.api;

import java.util.List;
import java.util.Map;

/**
 * One instrument as a lab engineer checks it: its state, who holds it now, the last command it was
 * sent, its health-probe history and its alerts ({@code GET /api/instruments/{name}}, the console's
 * instruments page).
 *
 * @param instrument the state, as in the instrument list
 * @param holders who holds it now (empty when idle), oldest lease first
 * @param lastCommand the last command the daemon sent it, or null if none since the daemon started
 * @param probes its newest health probes (kept in the store, so across restarts), newest first
 * @param alerts its alerts since the daemon started (went offline or online again, failed
 *     calibrations, aborts, alerts of campaign steps on it), newest first
 */
public record InstrumentDetail(
    InstrumentView instrument,
    List<Holder> holders,
    LastCommand lastCommand,
    List<HealthProbe> probes,
    List<EventView> alerts) {

  /**
   * A lease held on the instrument.
   *
   * @param holder the campaign's name, or {@code health-check} / {@code calibration}
   * @param campaignId the run holding it, in the API's spelling ({@code silver~2}), or null
   * @param seq the experiment it runs, or null
   * @param step the workflow step id, or null
   * @param since ISO-8601, when the lease was granted
   */
  public record Holder(String holder, String campaignId, Integer seq, String step, String since) {}

  /**
   * The last command sent.
   *
   * @param by who sent it ({@code silver/2 #17 dose}, {@code health-check}, {@code calibration},
   *     {@code abort silver/2})
   * @param sentAt ISO-8601
   * @param outcome SENT (no answer yet), OK or FAILED
   * @param answeredAt ISO-8601, or null while no answer came
   * @param seconds from sending to the answer, or null
   * @param message the error for FAILED, else empty
   */
  public record LastCommand(
      String command,
      Map<String, Object> arguments,
      String by,
      String sentAt,
      String outcome,
      String answeredAt,
      Double seconds,
      String message) {}

  /**
   * One health probe (the instrument's {@code health:} command, sent when it was idle).
   *
   * @param at ISO-8601
   * @param outcome OK, FAILED, or BUSY (not probed: a step was using it)
   * @param millis how long the probe took
   * @param message why it failed, else empty
   */
  public record HealthProbe(
      String at, String command, String outcome, long millis, String message) {}
}
