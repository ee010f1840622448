package io.labloop.orchestrator.client;

/** No daemon answered at the URL (not started, wrong port, or a firewall in between). */
public final class DaemonUnreachable extends RuntimeException {
  public DaemonUnreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
