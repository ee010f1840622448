package io.labloop.orchestrator.bench.loop;

import io.labloop.common.Threads;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instrument with no protocol whose every command takes exactly {@code duration}: the makespan
 * benchmark measures scheduling, not I/O. Synthesis answers a new sample id, a measurement a
 * number; it records how many commands ran at once.
 */
public final class LoopBenchmarkTimedInstrument implements Instrument {

  private final String name;
  private final Duration duration;
  private final ScheduledExecutorService timer;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final AtomicInteger made = new AtomicInteger();

  public LoopBenchmarkTimedInstrument(String name, Duration duration) {
    this.name = name;
    this.duration = duration;
    this.timer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("bench-" + name));
  }

  int maxConcurrent() {
    return maxRunning.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    Instant started = Instant.now();
    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    timer.schedule(
        () -> {
          running.decrementAndGet();
          Map<String, Object> outputs =
              command.name().equals("synthesize")
                  ? Map.of("sampleId", "S-" + made.incrementAndGet())
                  : Map.of("value", (double) (command.arguments().toString().hashCode() & 0xffff));
          reply.complete(
              new Reply(
                  command.name(),
                  outputs,
                  List.of(),
                  started,
                  Duration.between(started, Instant.now())));
        },
        duration.toNanos(),
        TimeUnit.NANOSECONDS);
    return reply;
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    return CompletableFuture.failedFuture(
        new InstrumentError.Refused(name, "read", "no variable " + variable));
  }

  @Override
  public InstrumentStatus status() {
    return InstrumentStatus.online(Instant.now(), "");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
