package io.labloop.orchestrator.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same contract as SQLite, against a real PostgreSQL server started for the test. */
class PostgresStoreIT extends StoreContract {

  private static TemporaryPostgres postgres;
  private static final AtomicInteger databases = new AtomicInteger();

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = TemporaryPostgres.shared();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (postgres != null) postgres.close();
  }

  @Override
  StoreLocation location() {
    try {
      // a test reopens its location; only the first call per test makes a database
      if (current == null || !current.dataDir().equals(dir)) {
        current =
            StoreLocation.jdbc(
                postgres.newDatabase("t" + databases.incrementAndGet()), "labloop", "", dir);
      }
      return current;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private StoreLocation current;
}
