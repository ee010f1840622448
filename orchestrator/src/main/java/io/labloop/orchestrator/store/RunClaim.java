package io.labloop.orchestrator.store;

/**
 * The right to drive a campaign's run, held while an engine runs it: the data folder's file lock
 * ({@link RunLock}) on SQLite, a PostgreSQL advisory lock ({@link RunOwnership}) on a shared
 * database. Closing it lets another engine take the run.
 */
public interface RunClaim extends AutoCloseable {
  @Override
  void close();
}
