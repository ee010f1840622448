package io.labloop.orchestrator.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP for a reload, the Unix way. The JVM has no public API for it; {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every OpenJDK) is the one that exists. SIGTERM needs nothing
 * special: the JVM runs shutdown hooks on it.
 */
final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /**
   * True if SIGHUP is ignored by the process now (Linux: {@code SigIgn} in /proc/self/status).
   * Loading jSerialComm's native library (the serial driver) sets SIGHUP to ignored, over our
   * handler, and the JVM cannot take an ignored signal back.
   */
  static boolean hangupIgnored() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:"))
          return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 1L) != 0;
      }
    } catch (java.io.IOException | RuntimeException e) {
      log.debug("cannot read the signal mask: {}", e.toString());
    }
    return false;
  }

  /**
   * Calls {@code action} on its own thread at every SIGHUP; false where the signal is not
   * available.
   */
  static boolean onHangup(Runnable action) {
    try {
      SignalHandler before =
          Signal.handle(
              new Signal("HUP"),
              sig -> {
                Thread t = new Thread(action, "labloop-sighup");
                t.setDaemon(true);
                t.start();
              });
      if (before == SignalHandler.SIG_IGN) {
        // The JVM leaves a signal alone that the process inherited as ignored (nohup, some shells).
        log.warn(
            "SIGHUP is ignored in this process (started under nohup?); use 'labloop reload' instead");
        return false;
      }
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("SIGHUP is not available here ({}); use 'labloop reload'", e.getMessage());
      return false;
    }
  }
}
