package io.labloop.drivers.serial;

import java.io.IOException;
import java.util.Optional;

/** A line-oriented view of one serial port; one thread uses it at a time. */
interface SerialLine extends AutoCloseable {

  /** Opens the port; fails with the reason (missing, busy, no permission). */
  void open() throws IOException;

  boolean isOpen();

  /** Sends one line; the terminator is added. */
  void writeLine(String line) throws IOException;

  /**
   * The next line without its terminator, or empty if none arrived before {@code deadlineNanos}
   * ({@link System#nanoTime}).
   */
  Optional<String> readLine(long deadlineNanos) throws IOException;

  /** Discards whatever is waiting and returns it (for logging). */
  String drain() throws IOException;

  @Override
  void close();
}
