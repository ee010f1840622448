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
  public static void run(DaemonConfig config, Map<String, String> env, String version, java.util.function.Consumer<Daemon> onReady) {
    Daemon daemon = Daemon.start(config, env, version);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        daemon.close();
      } catch (RuntimeException e) {
        log.error("graceful stop failed: {}", e.getMessage(), e);
      } finally {
        stopped.countDown();
      }
    }, "labloop-shutdown"));
    Signals.onHangup(() -> daemon.reload(new Actor("SIGHUP")));
    onReady.accept(daemon);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
