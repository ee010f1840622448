package io.labloop.orchestrator.schedule;

/** Where campaign starts are kept: in memory, or in PostgreSQL shared by clustered daemons. */
public sealed interface JobStore permits JobStore.InMemory, JobStore.PostgreSql {

  /** The default: the daemon re-plans stored starts when it comes up. */
  record InMemory() implements JobStore {}

  /**
   * Quartz's JDBC job store, clustered: a start survives the daemon that accepted it, and of
   * several daemons sharing the database exactly one runs it.
   */
  record PostgreSql(String jdbcUrl, String user, String password) implements JobStore {
    @Override
    public String toString() {
      return "PostgreSql[" + jdbcUrl + ", user=" + user + ", password=***]";
    }
  }
}
