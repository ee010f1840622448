package io.labloop.orchestrator.lab;

/** The lab's instruments could not be built or reached; the message names each one and why. */
public final class LabUnavailable extends RuntimeException {
  public LabUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
