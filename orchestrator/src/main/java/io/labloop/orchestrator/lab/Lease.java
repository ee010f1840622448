package io.labloop.orchestrator.lab;

/**
 * The right to send commands to one instrument, held for one step. Release it exactly once (further
 * calls do nothing).
 */
public interface Lease extends AutoCloseable {

  String instrument();

  /** Who holds it: the campaign's name. */
  String holder();

  void release();

  @Override
  default void close() {
    release();
  }
}
