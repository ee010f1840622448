package io.labloop.orchestrator.schedule;

/** What the scheduler's jobs do; the daemon implements it with the engine. */
public interface ScheduledWork {
  /** A campaign's planned start time has come (or passed while the daemon was down). */
  void startCampaign(String campaignId);

  /** Ask every instrument for its health. */
  void checkHealth();

  /** Send a configured calibration command. */
  void calibrate(String instrument, String command);
}
