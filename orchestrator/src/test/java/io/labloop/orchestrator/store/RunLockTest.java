package io.labloop.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  @TempDir Path data;

  @Test
  void oneEnginePerCampaignAndDataFolderUntilItLetsGo() {
    Optional<RunLock> first = RunLock.tryAcquire(data, "silver");
    assertTrue(first.isPresent());
    assertTrue(
        RunLock.tryAcquire(data, "silver").isEmpty(),
        "a second engine for the same campaign is refused");
    try (RunLock other = RunLock.tryAcquire(data, "gold").orElseThrow()) {
      assertTrue(other != null, "another campaign is independent");
    }
    first.get().close();
    try (RunLock again = RunLock.tryAcquire(data, "silver").orElseThrow()) {
      assertTrue(again != null, "free again once released");
    }
  }
}
