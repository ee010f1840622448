package io.labloop.orchestrator.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP for a reload, the Unix way. The JVM has no public API for it; {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every OpenJDK) is the one that exists. SIGTERM needs
 * nothing special: the JVM runs shutdown hooks on it.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** Calls {@code action} on its own thread at every SIGHUP; false where the signal is not available. */
  static boolean onHangup(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), sig -> {
        Thread t = new Thread(action, "labloop-sighup");
        t.setDaemon(true);
        t.start();
      });
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available here ({}); use 'labloop reload'", e.getMessage());
      return false;
    }
  }
}
