package io.labloop.orchestrator.lab;

import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.LabConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instruments of one lab, connected, with their lease queues and health. One {@code Lab}
 * is shared by every campaign that runs on it; leases keep each instrument within its
 * capacity and share it fairly.
 */
public final class Lab implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Lab.class);

  private final LabConfig config;
  private final Map<String, Instrument> instruments;
  private final Map<String, LeaseQueue> leases = new LinkedHashMap<>();
  private final Map<String, InstrumentStatus> marked = new ConcurrentHashMap<>();
  private final AutoCloseable onClose;

  private Lab(LabConfig config, Map<String, Instrument> instruments, AutoCloseable onClose) {
    this.config = config;
    this.instruments = Map.copyOf(instruments);
    this.onClose = onClose;
    for (InstrumentConfig i : config.instruments().values()) {
      if (!instruments.containsKey(i.name())) throw new IllegalArgumentException("no instrument object for '" + i.name() + "'");
      leases.put(i.name(), new LeaseQueue(i.name(), Math.max(1, i.capacity())));
    }
  }

  /** A lab over instruments that are already built (and connected, or connecting themselves). */
  public static Lab of(LabConfig config, Map<String, Instrument> instruments) {
    return new Lab(config, instruments, () -> {});
  }

  /**
   * Builds every instrument of {@code config} with {@code drivers} and connects them all,
   * waiting up to {@code connectTimeout}.
   *
   * @throws LabUnavailable naming every instrument that did not come online
   */
  public static Lab connect(LabConfig config, Drivers drivers, Duration connectTimeout) {
    Map<String, Instrument> built = new LinkedHashMap<>();
    try {
      for (InstrumentConfig i : config.instruments().values()) built.put(i.name(), drivers.create(i.spec()));
    } catch (RuntimeException e) {
      built.values().forEach(Instrument::close);
      drivers.close();
      throw new LabUnavailable("lab " + config.name() + ": " + e.getMessage(), e);
    }
    Map<String, CompletableFuture<Void>> connecting = new LinkedHashMap<>();
    built.forEach((name, instrument) -> connecting.put(name, instrument.connect()));
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    connecting.forEach((name, f) -> {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        problems.add(name + ": not online after " + connectTimeout.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems.add(name + ": interrupted while connecting");
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        problems.add(name + ": " + cause.getMessage());
      }
    });
    if (!problems.isEmpty()) {
      built.values().forEach(Instrument::close);
      drivers.close();
      throw new LabUnavailable("lab " + config.name() + " is not reachable: " + String.join("; ", problems), null);
    }
    log.info("lab {}: {} instruments online", config.name(), built.size());
    return new Lab(config, built, () -> {
      built.values().forEach(Instrument::close);
      drivers.close();
    });
  }

  public LabConfig config() {
    return config;
  }

  public InstrumentConfig instrumentConfig(String name) {
    return config.instrument(name);
  }

  public Instrument instrument(String name) {
    Instrument i = instruments.get(name);
    if (i == null) throw new IllegalArgumentException("lab " + config.name() + " has no instrument '" + name + "'");
    return i;
  }

  /** How many commands {@code instrument} runs at once. */
  public int capacity(String instrument) {
    return queue(instrument).capacity();
  }

  /** Waits for a free slot of {@code instrument}; cancelling the future gives up the place in the queue. */
  public CompletableFuture<Lease> lease(String instrument, String holder) {
    return queue(instrument).acquire(holder);
  }

  /** Leases currently held on {@code instrument}. */
  public int busy(String instrument) {
    return queue(instrument).held();
  }

  private LeaseQueue queue(String instrument) {
    LeaseQueue q = leases.get(instrument);
    if (q == null) throw new IllegalArgumentException("lab " + config.name() + " has no instrument '" + instrument + "'");
    return q;
  }

  /** Marks {@code instrument} in error (a hung step); its status shows it until a command succeeds again. */
  public void markError(String instrument, String reason) {
    marked.put(instrument, new InstrumentStatus(InstrumentStatus.State.ERROR, reason, Instant.now(), reason));
  }

  /** A command succeeded: the instrument is healthy again. */
  public void clearError(String instrument) {
    marked.remove(instrument);
  }

  /** The driver's status, unless the engine marked the instrument in error. */
  public InstrumentStatus status(String instrument) {
    InstrumentStatus m = marked.get(instrument);
    return m != null ? m : instrument(instrument).status();
  }

  /** Every instrument's status, in lab order. */
  public Map<String, InstrumentStatus> statuses() {
    Map<String, InstrumentStatus> out = new LinkedHashMap<>();
    config.instruments().keySet().forEach(n -> out.put(n, status(n)));
    return out;
  }

  /** The configured abort command of {@code instrument}, if it has one. */
  public Optional<String> abortCommand(String instrument) {
    return instrumentConfig(instrument).abortCommand();
  }

  /** Unwraps the {@link InstrumentError} inside a failed future's exception, if there is one. */
  public static Optional<InstrumentError> instrumentError(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException || (c != null && c.getClass() == java.util.concurrent.ExecutionException.class)) c = c.getCause();
    return c instanceof InstrumentError e ? Optional.of(e) : Optional.empty();
  }

  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      log.warn("closing lab {}: {}", config.name(), e.getMessage());
    }
  }
}
