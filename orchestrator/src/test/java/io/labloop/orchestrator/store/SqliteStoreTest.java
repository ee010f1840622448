package io.labloop.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {

  @TempDir Path dir;

  @Override
  StoreLocation location() {
    return StoreLocation.sqlite(dir);
  }

  @Test
  void theDefaultDatabaseIsAWalFileInTheDataFolder() throws Exception {
    try (Store store = Store.open(location())) {
      store.saveCampaign("c", Path.of("c.yaml"), "x", "h");
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("labloop.db"));
        ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1));
    }
  }
}
