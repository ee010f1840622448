package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.Actor;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Daemon} in the foreground until the process is told to stop: a shutdown hook
 * (SIGTERM, SIGINT) does the graceful stop, SIGHUP reloads the lab file.
 */
public final class DaemonRunner {
  private static final Logger log = LoggerFactory.getLogger(DaemonRunner.class);

  private DaemonRunner() {}

  /** Blocks until the JVM shuts down; {@code onReady} is told the daemon once it serves. */
  public static void run(
      DaemonConfig config,
      Map<String, String> env,
      String version,
      java.util.function.Consumer<Daemon> onReady) {
    // SIGHUP is claimed before anything starts; still, loading jSerialComm sets it to "ignored"
    // over our handler (see Signals.hangupIgnored), which is why 'labloop reload' exists.
    java.util.concurrent.atomic.AtomicReference<Daemon> running =
        new java.util.concurrent.atomic.AtomicReference<>();
    Signals.onHangup(
        () -> {
          Daemon d = running.get();
          if (d == null)
            log.warn("SIGHUP during start-up ignored; send it again once the daemon serves");
          else d.reload(new Actor("SIGHUP"));
        });
    Daemon daemon = Daemon.start(config, env, version);
    running.set(daemon);
    if (Signals.hangupIgnored()) {
      log.warn(
          "SIGHUP is ignored in this process (the serial driver's native library set it so); reload with 'labloop reload' "
              + "(the systemd unit's ExecReload does)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    daemon.close();
                  } catch (RuntimeException e) {
                    log.error("graceful stop failed: {}", e.getMessage(), e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "labloop-shutdown"));
    onReady.accept(daemon);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
