package io.labloop.orchestrator.campaign;

/**
 * The engine was shut down before its run ended; the run is RUNNING in the store and the next start
 * resumes it.
 */
public final class EngineStopped extends RuntimeException {
  public EngineStopped(String message) {
    super(message);
  }
}
