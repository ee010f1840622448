package io.labloop.drivers;

import java.util.concurrent.CompletableFuture;

/**
 * One instrument as the orchestrator sees it. Implementations are thread-safe; {@link #execute}
 * never blocks the caller and enforces the command's timeout itself.
 */
public interface Instrument extends AutoCloseable {

  /** The instrument's name in the lab file. */
  String name();

  /**
   * Opens the connection (or joins the shared one). Completes when ONLINE; completes exceptionally
   * with {@link InstrumentError.Disconnected} if it cannot connect. A driver keeps trying to
   * reconnect in the background after a later loss.
   */
  CompletableFuture<Void> connect();

  /** Runs one command configured in the instrument's section. */
  CompletableFuture<Reply> execute(Command command);

  /**
   * Reads a process variable named in the instrument's section ({@code variables:}), for telemetry
   * and interlocks. Completes exceptionally with an {@link InstrumentError} if the variable is
   * unknown or unreadable.
   */
  CompletableFuture<Object> read(String variable);

  /** The current status, with the reason and the last error. */
  InstrumentStatus status();

  /** Closes the connection (or leaves the shared one). Never throws. */
  @Override
  void close();
}
