package io.labloop.drivers.serial;

import io.labloop.common.Threads;
import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.serial.SerialSettings.SerialCommand;
import io.labloop.drivers.support.CommandRunner;
import io.labloop.drivers.support.CommandRunner.Outcome;
import io.labloop.drivers.support.ReplyPattern;
import io.labloop.drivers.support.SharedTimer;
import io.labloop.drivers.support.StatusTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial instrument. All port I/O happens on one thread of its own, so commands are strictly one
 * at a time (a serial device answers in order and has no request ids) and a slow device never
 * blocks the caller.
 *
 * <p>Late replies: a line carries no request ids, so a reply to a command that timed out would be
 * taken for the answer to the next command if it arrived after that one was sent. Two guards:
 * before each command, whatever is waiting on the line is drained (and logged); and after a
 * timeout, the next command first listens for up to {@code late-reply-wait} (counted from the
 * timeout, default 1 s, but never more than half the next command's own timeout, which this wait
 * counts against) and discards the late reply if it comes, so that it cannot be mistaken for the
 * next one. A reply later than that is still indistinguishable; a lab whose instrument answers that
 * late after a timeout should raise {@code late-reply-wait}.
 */
final class SerialInstrument implements Instrument {

  private static final Logger log = LoggerFactory.getLogger(SerialInstrument.class);

  private final String name;
  private final SerialSettings settings;
  private final SerialLine line;
  private final Bridges bridges;
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner;
  private final ExecutorService worker;

  /**
   * Earliest {@link System#nanoTime} the next command may be sent (the previous command's {@code
   * delay}).
   */
  private long notBefore = System.nanoTime();

  /** Whether the last command timed out, so that its reply may still come. */
  private boolean lateReplyPossible;

  /** Then, until when ({@link System#nanoTime}) that reply is waited for. */
  private long lateReplyUntil;

  SerialInstrument(
      String name, SerialSettings settings, Supplier<SerialLine> lines, Bridges bridges) {
    this.name = name;
    this.settings = settings;
    this.line = lines.get();
    this.bridges = bridges;
    this.runner = new CommandRunner(name, SharedTimer.acquire(bridges).scheduler(), status);
    this.worker = Executors.newSingleThreadExecutor(Threads.daemon("serial-" + name));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return CompletableFuture.runAsync(
        () -> {
          try {
            ensureOpen("connect");
          } catch (InstrumentError e) {
            throw new CompletionException(e);
          }
        },
        worker);
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    SerialCommand cmd = settings.commands().get(command.name());
    if (cmd == null) return runner.unknown(command, settings.commands().keySet());
    return runner.run(
        command,
        cmd.policy(),
        (c, timeout) -> {
          // Rendered here, on the caller's thread, so a missing argument fails before anything is
          // queued.
          String text = cmd.send().render(c.arguments());
          return CompletableFuture.supplyAsync(
              () -> {
                try {
                  return exchange(cmd, text, timeout);
                } catch (InstrumentError e) {
                  throw new CompletionException(e);
                }
              },
              worker);
        });
  }

  private Outcome exchange(SerialCommand cmd, String text, Duration timeout)
      throws InstrumentError {
    long deadline = System.nanoTime() + timeout.toNanos();
    ensureOpen(cmd.name());
    long wait = notBefore - System.nanoTime();
    if (wait > 0) LockSupport.parkNanos(wait);
    try {
      // Half the command's own time at most: it must still be sent with time to answer.
      discardLateReply(
          cmd,
          Math.min(lateReplyUntil - System.nanoTime(), timeout.toNanos() / 2) + System.nanoTime());
      String stale = line.drain();
      if (!stale.isBlank()) {
        log.warn(
            "{}: dropped '{}' that arrived before '{}' was sent (a late reply to an earlier command)",
            name,
            abbreviate(stale),
            cmd.name());
      }
      line.writeLine(text);
      List<String> reply = readReply(cmd, deadline);
      notBefore = System.nanoTime() + cmd.delay().toNanos();
      String joined = String.join("\n", reply);
      Optional<Map<String, Object>> refusal = cmd.error().flatMap(p -> p.match(joined));
      if (refusal.isPresent()) {
        Object message = refusal.get().get("message");
        throw new InstrumentError.Refused(
            name,
            cmd.name(),
            message == null
                ? "the instrument answered '" + abbreviate(joined) + "'"
                : "the instrument refused: " + message);
      }
      Map<String, Object> outputs = Map.of();
      if (cmd.expect().isPresent()) {
        ReplyPattern expect = cmd.expect().get();
        outputs =
            expect
                .match(joined)
                .orElseThrow(
                    () ->
                        new InstrumentError.BadReply(
                            name,
                            cmd.name(),
                            "reply '"
                                + abbreviate(joined)
                                + "' does not match expect '"
                                + expect
                                + "'"));
      }
      return new Outcome(
          outputs,
          List.of(
              new Reply.Attachment(
                  "reply", "text/plain", joined.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      line.close();
      status.offline(InstrumentStatus.ReasonKind.COMMUNICATION, e.getMessage());
      throw new InstrumentError.Disconnected(name, cmd.name(), e.getMessage(), e);
    }
  }

  private List<String> readReply(SerialCommand cmd, long deadline)
      throws IOException, InstrumentError {
    List<String> lines = new ArrayList<>();
    while (true) {
      Optional<String> next = line.readLine(deadline);
      if (next.isEmpty()) {
        lateReplyPossible = true;
        lateReplyUntil = System.nanoTime() + settings.lateReplyWait().toNanos();
        throw new InstrumentError.Timeout(
            name,
            cmd.name(),
            "no complete reply within "
                + CommandRunner.describe(cmd.policy().timeout())
                + (lines.isEmpty()
                    ? ""
                    : " (got "
                        + lines.size()
                        + " line(s): '"
                        + abbreviate(String.join("\\n", lines))
                        + "')"));
      }
      String l = next.get();
      if (cmd.end() != null) {
        if (l.strip().equals(cmd.end())) return lines;
        lines.add(l);
      } else if (cmd.lines() > 0) {
        lines.add(l);
        if (lines.size() == cmd.lines()) return lines;
      } else if (!l.isBlank()) {
        // A blank line before the answer is line noise (a stray terminator), not the answer.
        return List.of(l);
      }
    }
  }

  /**
   * After a timeout: waits (until {@code until}) for the reply the timed-out command may still get,
   * and drops it. Once a line has come, the rest of a multi-line reply follows at line speed, so
   * listening stops after {@link #QUIET} without a byte.
   */
  private void discardLateReply(SerialCommand next, long until) throws IOException {
    if (!lateReplyPossible) return;
    lateReplyPossible = false;
    List<String> late = new ArrayList<>();
    long deadline = until;
    while (deadline - System.nanoTime() > 0) {
      Optional<String> l = line.readLine(deadline);
      if (l.isEmpty()) break;
      late.add(l.get());
      deadline = Math.min(until, System.nanoTime() + QUIET.toNanos());
    }
    if (!late.isEmpty()) {
      log.warn(
          "{}: dropped '{}', the late reply to a command that had timed out, before sending '{}'",
          name,
          abbreviate(String.join("\n", late)),
          next.name());
    }
  }

  /**
   * Silence after a late reply's last line that ends it (far longer than a byte at any baud rate).
   */
  private static final Duration QUIET = Duration.ofMillis(100);

  private void ensureOpen(String command) throws InstrumentError {
    if (line.isOpen()) return;
    try {
      line.open();
      status.online();
      log.info("{}: serial port {} open at {} baud", name, settings.port(), settings.baud());
    } catch (IOException e) {
      status.offline(InstrumentStatus.ReasonKind.COMMUNICATION, e.getMessage());
      throw new InstrumentError.Disconnected(name, command, e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    String oneLine = s.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    return CompletableFuture.failedFuture(
        new InstrumentError.Refused(
            name,
            "read " + variable,
            "a serial instrument has no variables; define a command that asks for the value instead"));
  }

  @Override
  public InstrumentStatus status() {
    return status.status();
  }

  @Override
  public void close() {
    worker.execute(line::close);
    worker.shutdown();
    try {
      // Wait for the port to be released: whoever opens it next (another program) expects it free.
      if (!worker.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn(
            "{}: a command still holds serial port {}; it is closed when that command ends",
            name,
            settings.port());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    status.offline(InstrumentStatus.ReasonKind.GONE, "closed");
    bridges.release(SharedTimer.KEY);
  }
}
