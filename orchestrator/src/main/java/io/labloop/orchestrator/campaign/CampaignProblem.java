package io.labloop.orchestrator.campaign;

/**
 * The campaign cannot start on this lab (its space exceeds an instrument's limits, its file changed
 * under a running run, a step names a command the lab lacks). Nothing was sent.
 */
public final class CampaignProblem extends RuntimeException {
  public CampaignProblem(String message) {
    super(message);
  }
}
