package io.labloop.orchestrator.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.cli.Main;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labloop demo} needs nothing but the jar: built-in files, a virtual lab on free ports, a
 * CSV at the end.
 */
class DemoIT {

  @TempDir Path dir;

  @Test
  void theDemoRunsFromNothingAndLeavesItsData() throws Exception {
    Path data = dir.resolve("labloop-data");
    assertEquals(0, Main.run("demo", "--data", data.toString(), "--budget", "6"));
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      RunRecord run = store.latestRun("silver-nanoparticles-demo").orElseThrow();
      assertEquals(RunStatus.COMPLETED, run.status());
      assertEquals(
          6,
          store.experiments(run.id()).stream()
              .filter(e -> e.status() == ExperimentStatus.DONE)
              .count());
    }
    List<String> csv =
        Files.readAllLines(
            data.resolve("demo/silver-nanoparticles-demo.csv"), StandardCharsets.UTF_8);
    assertEquals(7, csv.size());
    assertTrue(csv.get(0).contains("peak [nm]"), csv.get(0));
    // a second demo starts a new run beside the first
    assertEquals(0, Main.run("demo", "--data", data.toString(), "--budget", "2"));
    try (Store store = Store.open(StoreLocation.sqlite(data))) {
      assertEquals(2, store.runs("silver-nanoparticles-demo").size());
    }
  }
}
