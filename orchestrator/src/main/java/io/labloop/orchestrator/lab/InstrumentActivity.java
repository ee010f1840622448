package io.labloop.orchestrator.lab;

import io.labloop.drivers.Command;
import io.labloop.drivers.Reply;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The last command the lab sent to each instrument, and how it ended: what a lab engineer looks at
 * first when an instrument misbehaves ("what did we last ask it to do?"). Kept in memory only: the
 * steps of a campaign are in its run's journal; this adds the commands nobody journals (health
 * probes, calibrations, aborts) and one place to look across campaigns.
 *
 * <p>Every command goes through {@link #send}, which notes it before the driver is called and again
 * when the reply (or error) comes; a later command replaces an earlier one even if that one has not
 * answered yet (with capacity above one, the newest sent is the last command).
 */
final class InstrumentActivity {

  private final Map<String, SentCommand> last = new ConcurrentHashMap<>();
  private final Clock clock;

  InstrumentActivity(Clock clock) {
    this.clock = clock;
  }

  /** Calls {@code driver} with {@code command}, noting it as {@code instrument}'s last command. */
  CompletableFuture<Reply> send(
      String instrument,
      Command command,
      String by,
      java.util.function.Function<Command, CompletableFuture<Reply>> driver) {
    SentCommand sent =
        new SentCommand(command.name(), command.arguments(), by, clock.instant(), "SENT", null, "");
    last.put(instrument, sent);
    CompletableFuture<Reply> reply;
    try {
      reply = driver.apply(command);
    } catch (RuntimeException e) {
      answered(instrument, sent, e);
      throw e;
    }
    reply.whenComplete((r, t) -> answered(instrument, sent, t));
    return reply;
  }

  private void answered(String instrument, SentCommand sent, @Nullable Throwable error) {
    String message = "";
    if (error != null) {
      message =
          Lab.instrumentError(error)
              .map(Throwable::getMessage)
              .orElseGet(() -> io.labloop.common.Errors.rootMessage(error));
    }
    SentCommand done =
        new SentCommand(
            sent.command(),
            sent.arguments(),
            sent.by(),
            sent.sentAt(),
            error == null ? "OK" : "FAILED",
            clock.instant(),
            message == null ? "" : message);
    // only if no newer command replaced it meanwhile
    last.replace(instrument, sent, done);
  }

  Optional<SentCommand> last(String instrument) {
    return Optional.ofNullable(last.get(instrument));
  }

  void forget(String instrument) {
    last.remove(instrument);
  }
}
