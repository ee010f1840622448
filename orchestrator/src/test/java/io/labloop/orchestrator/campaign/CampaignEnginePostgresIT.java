package io.labloop.orchestrator.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.orchestrator.store.TemporaryPostgres;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on a real PostgreSQL store: a whole run, then a resume of it from the database. */
class CampaignEnginePostgresIT {

  @TempDir Path dir;

  @Test
  void aCampaignRunsAndResumesOnPostgres() throws Exception {
    try (TemporaryPostgres postgres = TemporaryPostgres.shared()) {
      StoreLocation where = StoreLocation.jdbc(postgres.newDatabase("engine"), "labloop", "", dir);
      FakeLab fake = new FakeLab();
      String runId;
      try (Store store = Store.open(where)) {
        RunSummary s =
            CampaignEngine.builder()
                .campaign(fake.campaign())
                .lab(fake.lab())
                .store(store)
                .planner(FakeLab::uniform)
                .build()
                .start()
                .get(30, TimeUnit.SECONDS);
        assertEquals(RunStatus.COMPLETED, s.status());
        assertEquals(
            6, s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count());
        runId = s.runId();
      }
      try (Store store = Store.open(where)) {
        assertEquals(
            12,
            store.steps(runId).stream()
                .filter(st -> st.status() == StepStatus.DONE)
                .map(StepRecord::idempotencyKey)
                .distinct()
                .count());
        assertEquals(6, store.observations(runId).size());
        // the same command again finds the run finished and sends nothing
        FakeLab again = new FakeLab();
        RunSummary s =
            CampaignEngine.builder()
                .campaign(again.campaign())
                .lab(again.lab())
                .store(store)
                .planner(FakeLab::uniform)
                .build()
                .start()
                .get(30, TimeUnit.SECONDS);
        assertEquals(runId, s.runId());
        assertEquals(0, again.robot.received.size());
      }
    }
  }
}
