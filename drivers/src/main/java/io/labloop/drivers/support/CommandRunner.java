package io.labloop.drivers.support;

import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands the same way for every driver:
 *
 * <ol>
 *   <li>the driver's {@link Attempt} sends the command and returns a future of the outputs;
 *   <li>if the future is not complete within the command's timeout, the runner completes <em>that
 *       same future</em> with {@link InstrumentError.Timeout}, so the driver's own clean-up
 *       attached to it runs (e.g. forgetting the request, so a late reply is dropped);
 *   <li>a {@link InstrumentError.Timeout} or {@link InstrumentError.Disconnected} of an idempotent
 *       command is retried after a back-off that doubles each time; other errors, and any error of
 *       a non-idempotent command, are final, because re-sending "dispense 2 mL" after a lost reply
 *       could dispense twice;
 *   <li>anything that is not an {@link InstrumentError} is mapped to one (an argument the template
 *       needs but the caller did not give: refused, nothing was sent), so callers see exactly the
 *       five kinds;
 *   <li>a reply lacking one of the command's declared {@code outputs} is a bad reply.
 * </ol>
 */
public final class CommandRunner {

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  /**
   * One try of a command; completes with the outputs or exceptionally with an {@link
   * InstrumentError}.
   */
  @FunctionalInterface
  public interface Attempt {
    CompletableFuture<Outcome> start(Command command, Duration timeout);
  }

  /** What one successful attempt produced. */
  public record Outcome(Map<String, Object> outputs, List<Reply.Attachment> attachments) {
    public static Outcome of(Map<String, Object> outputs) {
      return new Outcome(outputs, List.of());
    }
  }

  private final String instrument;
  private final ScheduledExecutorService timer;
  private final StatusTracker status;

  public CommandRunner(String instrument, ScheduledExecutorService timer, StatusTracker status) {
    this.instrument = instrument;
    this.timer = timer;
    this.status = status;
  }

  /** The refusal of a command the instrument's section does not define: nothing is sent. */
  public CompletableFuture<Reply> unknown(Command command, Collection<String> defined) {
    return CompletableFuture.failedFuture(
        new InstrumentError.Refused(
            instrument, command.name(), "no such command; this instrument has " + defined));
  }

  public CompletableFuture<Reply> run(Command command, CommandPolicy policy, Attempt attempt) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    CompletableFuture<Reply> result = new CompletableFuture<>();
    tryOnce(command, policy, attempt, 0, result, started, t0);
    return result;
  }

  private void tryOnce(
      Command command,
      CommandPolicy policy,
      Attempt attempt,
      int retry,
      CompletableFuture<Reply> result,
      Instant started,
      long t0) {
    CompletableFuture<Outcome> f;
    try {
      f = attempt.start(command, policy.timeout());
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Outcome> attemptFuture = f;
    var watchdog =
        timer.schedule(
            () -> {
              attemptFuture.completeExceptionally(
                  new InstrumentError.Timeout(
                      instrument,
                      command.name(),
                      "no complete reply within " + describe(policy.timeout())));
            },
            policy.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    attemptFuture.whenComplete(
        (outcome, failure) -> {
          watchdog.cancel(false);
          if (failure == null) {
            InstrumentError missing = missingOutputs(command, policy, outcome);
            if (missing == null) {
              status.online();
              result.complete(
                  new Reply(
                      command.name(),
                      outcome.outputs(),
                      outcome.attachments(),
                      started,
                      Duration.ofNanos(System.nanoTime() - t0)));
              return;
            }
            failure = missing;
          }
          InstrumentError error = toInstrumentError(command, failure);
          boolean transientError =
              error instanceof InstrumentError.Timeout
                  || error instanceof InstrumentError.Disconnected;
          if (policy.idempotent() && transientError && retry < policy.retries()) {
            long wait = policy.backoff().toMillis() << retry;
            log.warn(
                "{} (attempt {} of {}); re-sending in {} ms because the command is idempotent",
                error.getMessage(),
                retry + 1,
                policy.retries() + 1,
                wait);
            timer.schedule(
                () -> tryOnce(command, policy, attempt, retry + 1, result, started, t0),
                wait,
                TimeUnit.MILLISECONDS);
            return;
          }
          log.warn("{}", error.getMessage());
          log.debug("cause", error);
          status.failed(error);
          result.completeExceptionally(error);
        });
  }

  private InstrumentError missingOutputs(Command command, CommandPolicy policy, Outcome outcome) {
    for (String name : policy.outputs()) {
      if (!outcome.outputs().containsKey(name)) {
        return new InstrumentError.BadReply(
            instrument,
            command.name(),
            "the reply has no output '" + name + "' (it has " + outcome.outputs().keySet() + ")");
      }
    }
    return null;
  }

  /** Maps anything that went wrong to exactly one error kind naming instrument and command. */
  public InstrumentError toInstrumentError(Command command, Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof InstrumentError e) return e;
    if (t instanceof IllegalArgumentException) {
      return new InstrumentError.Refused(instrument, command.name(), "not sent: " + t.getMessage());
    }
    return new InstrumentError.Disconnected(
        instrument, command.name(), String.valueOf(t.getMessage()), t);
  }

  /** {@code 30s}, {@code 250ms}, {@code 10m}: how the lab file writes it. */
  public static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) return (ms / 60_000) + "m";
    if (ms % 1_000 == 0 && ms > 0) return (ms / 1_000) + "s";
    return ms + "ms";
  }
}
