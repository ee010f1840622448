package io.labloop.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.planners.Observation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** What every store (SQLite, PostgreSQL) must do; subclasses say how to open one. */
abstract class StoreContract {

  /** A fresh, empty store; reopening the same location must show the same data. */
  abstract StoreLocation location();

  private static final Point REQUESTED =
      new Point(Map.of("temperature", 120.0, "solvent", "water"));

  @Test
  void keepsTheWholeLifeOfAnExperimentAcrossAReopen() throws Exception {
    StoreLocation where = location();
    String runId;
    try (Store store = Store.open(where)) {
      store.saveCampaign("silver", Path.of("silver.yaml"), "campaign: silver\n", "abc123");
      store.saveCampaign(
          "silver", Path.of("silver.yaml"), "campaign: silver\n", "abc123"); // same text: kept once
      RunRecord run = store.createRun("silver", "abc123", 42);
      runId = run.id();
      assertEquals("silver/1", runId);
      Suggestion why =
          new Suggestion(
              REQUESTED,
              "bayesian",
              "EI 0.3",
              0.3,
              Map.of("peak", 519.0),
              Map.of("peak", 4.0),
              Map.of("noise", 0.1));
      store.planExperiment(runId, 1, REQUESTED, why, ExperimentStatus.PLANNED, OptionalInt.empty());
      StepRecord synth =
          new StepRecord(
              runId,
              1,
              0,
              1,
              "synthesize",
              "robot",
              "synthesize",
              Map.of("temperature", 120.0),
              StepStatus.STARTED,
              StepRecord.idempotencyKey(runId, 1, "synthesize"),
              Instant.now(),
              Optional.empty(),
              Optional.empty(),
              Map.of(),
              Optional.empty(),
              Optional.empty());
      store.stepStarted(synth);
      byte[] spectrum = "400,0.1\n520,0.9\n".getBytes(StandardCharsets.UTF_8);
      List<AttachmentRecord> files =
          store.stepDone(
              runId,
              1,
              0,
              1,
              Map.of("sampleId", "S-1", "actualTemperature", 119.5),
              List.of(new Store.NewAttachment("spectrum.csv", "text/csv", spectrum)));
      Point achieved = new Point(Map.of("temperature", 119.5, "solvent", "water"));
      store.finishExperiment(
          runId,
          1,
          ExperimentStatus.DONE,
          Optional.of(achieved),
          Map.of("peak", 521.25),
          Optional.empty(),
          Optional.of(Observation.ok(achieved, Map.of("peak", 521.25))));
      store.addEvent(
          runId,
          EventKind.INTERLOCK_HOLD,
          Severity.WARNING,
          Optional.empty(),
          Optional.of("robot"),
          OptionalInt.of(1),
          "robot.Door is Open");
      assertArrayEquals(
          spectrum, Files.readAllBytes(store.attachmentsDir().resolve(files.get(0).sha256())));
    }
    try (Store store = Store.open(where)) {
      assertEquals("campaign: silver\n", store.campaignText("abc123").orElseThrow());
      ExperimentRecord e = store.experiments(runId).get(0);
      assertEquals(ExperimentStatus.DONE, e.status());
      assertTrue(e.reached());
      assertEquals(REQUESTED, e.requested());
      assertEquals(119.5, e.achieved().orElseThrow().number("temperature"));
      assertEquals(521.25, e.values().get("peak"));
      StepRecord s = store.steps(runId).get(0);
      assertEquals(StepStatus.DONE, s.status());
      assertEquals("S-1", s.outputs().get("sampleId"));
      assertEquals("silver/1/1/synthesize", s.idempotencyKey());
      assertTrue(s.startedAt().isPresent() && s.endedAt().isPresent());
      ObservationRecord o = store.observations(runId).get(0);
      assertEquals(1, o.ordinal());
      assertEquals(REQUESTED, o.requested());
      assertEquals(119.5, o.observation().point().number("temperature"));
      assertEquals("water", o.observation().point().text("solvent"));
      Suggestion d = store.decisions(runId).get(1);
      assertEquals("EI 0.3", d.reason());
      assertEquals(4.0, d.predictedSd().get("peak"));
      assertEquals("robot.Door is Open", store.events(runId).get(0).message());
      assertEquals(EventKind.INTERLOCK_HOLD, store.events(runId).get(0).kind());
      assertEquals(Severity.WARNING, store.events(runId).get(0).severity());
      assertEquals("spectrum.csv", store.attachments(runId).get(0).name());
    }
  }

  @Test
  void anAuditRecordKeepsItsActorInItsOwnColumn() {
    try (Store store = Store.open(location())) {
      store.saveCampaign("c", Path.of("c.yaml"), "campaign: c\n", "h1");
      String runId = store.createRun("c", "h1", 1).id();
      store.addEvent(
          runId,
          EventKind.AUDIT,
          Severity.INFO,
          Optional.of("alice: the admin"),
          Optional.empty(),
          OptionalInt.empty(),
          "paused the campaign");
    }
    try (Store store = Store.open(location())) {
      EventRecord e = store.events("c/1").get(0);
      assertEquals(
          Optional.of("alice: the admin"),
          e.actor(),
          "the actor is not read back out of the message");
      assertEquals("paused the campaign", e.message());
    }
  }

  /**
   * A data folder from before the actor column: its audit records get their actor from the message,
   * once.
   */
  @Test
  void theActorOfAnOldAuditRecordIsMovedIntoItsColumn() throws Exception {
    StoreLocation where = location();
    Flyway.configure()
        .dataSource(where.jdbcUrl(), where.user(), where.password())
        .locations("classpath:db/migration")
        .target(MigrationVersion.fromVersion("1"))
        .load()
        .migrate();
    try (Connection c =
            DriverManager.getConnection(where.jdbcUrl(), where.user(), where.password());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO campaigns (sha256, name, file, yaml, stored_at) VALUES ('h', 'c', 'c.yaml', 'campaign: c', 0)");
      st.executeUpdate(
          "INSERT INTO runs (id, campaign, campaign_sha256, seed, status, started_at) VALUES ('c/1', 'c', 'h', 1, 'RUNNING', 0)");
      st.executeUpdate(
          "INSERT INTO events (run_id, ordinal, at, kind, severity, message) VALUES ('c/1', 1, 0, 'audit', 'info', 'bob: aborted the campaign')");
      st.executeUpdate(
          "INSERT INTO events (run_id, ordinal, at, kind, severity, message) VALUES ('c/1', 2, 0, 'paused', 'info', 'x: y')");
    }
    try (Store store = Store.open(where)) {
      List<EventRecord> events = store.events("c/1");
      assertEquals(Optional.of("bob"), events.get(0).actor());
      assertEquals(Optional.empty(), events.get(1).actor(), "only audit records have an actor");
    }
  }

  @Test
  void healthProbesAreKeptAcrossAReopenNewestFirstAndOldOnesDropped() {
    StoreLocation where = location();
    Instant t = Instant.parse("2026-12-04T10:00:00Z");
    java.time.Duration keep = java.time.Duration.ofDays(30);
    try (Store store = Store.open(where)) {
      store.recordProbe(
          new HealthProbeRecord(
              t.minus(java.time.Duration.ofDays(40)), "uvvis", "identify", "OK", 5, ""),
          java.time.Duration.ofDays(365));
      store.recordProbe(new HealthProbeRecord(t, "uvvis", "identify", "OK", 12, ""), keep);
      store.recordProbe(
          new HealthProbeRecord(
              t.plusSeconds(60), "uvvis", "identify", "FAILED", 5000, "no reply within 5000 ms"),
          keep);
      store.recordProbe(
          new HealthProbeRecord(t.plusSeconds(90), "robot", "ping", "BUSY", 0, ""), keep);
    }
    try (Store store = Store.open(where)) {
      List<HealthProbeRecord> uvvis = store.probes("uvvis", 10);
      assertEquals(
          List.of("FAILED", "OK"), uvvis.stream().map(HealthProbeRecord::outcome).toList());
      assertEquals("no reply within 5000 ms", uvvis.get(0).message());
      assertEquals(t.plusSeconds(60), uvvis.get(0).at());
      assertEquals(5000, uvvis.get(0).millis());
      assertEquals(1, store.probes("uvvis", 1).size());
      assertEquals(1, store.probes("robot", 10).size());
      assertTrue(store.probes("pump", 10).isEmpty());
    }
  }

  @Test
  void decisionsOfSomeExperimentsOnly() {
    try (Store store = Store.open(location())) {
      store.saveCampaign("c", Path.of("c.yaml"), "campaign: c\n", "h1");
      RunRecord run = store.createRun("c", "h1", 1);
      for (int seq = 1; seq <= 5; seq++) {
        Point p = new Point(Map.of("temperature", 100.0 + seq));
        store.planExperiment(
            run.id(),
            seq,
            p,
            new Suggestion(p, "random", "draw " + seq, Double.NaN, Map.of(), Map.of(), Map.of()),
            ExperimentStatus.PLANNED,
            OptionalInt.empty());
      }
      Map<Integer, Suggestion> some = store.decisions(run.id(), List.of(4, 2, 9));
      assertEquals(List.of(2, 4), List.copyOf(some.keySet()));
      assertEquals("draw 4", some.get(4).reason());
      assertEquals(104.0, some.get(4).point().values().get("temperature"));
      assertEquals(store.decisions(run.id()).get(2), some.get(2));
      assertTrue(store.decisions(run.id(), List.of()).isEmpty());
    }
  }

  @Test
  void aRestartGetsTheNextRunNumberAndKeepsTheOldRun() {
    try (Store store = Store.open(location())) {
      store.saveCampaign("c", Path.of("c.yaml"), "campaign: c\n", "h1");
      RunRecord first = store.createRun("c", "h1", 1);
      store.endRun(first.id(), RunStatus.COMPLETED, "budget reached");
      RunRecord second = store.createRun("c", "h1", 1);
      assertEquals("c/2", second.id());
      assertEquals(second.id(), store.latestRun("c").orElseThrow().id());
      assertEquals(List.of("c/1", "c/2"), store.runs("c").stream().map(RunRecord::id).toList());
      assertEquals("budget reached", store.run("c/1").orElseThrow().stopReason().orElseThrow());
      assertFalse(store.latestRun("other").isPresent());
    }
  }

  @Test
  void aFailedTransactionLeavesNothingBehind() {
    try (Store store = Store.open(location())) {
      store.saveCampaign("c", Path.of("c.yaml"), "x", "h");
      RunRecord run = store.createRun("c", "h", 1);
      Suggestion s = Suggestion.of(REQUESTED, "random", "uniform");
      store.planExperiment(
          run.id(), 1, REQUESTED, s, ExperimentStatus.PLANNED, OptionalInt.empty());
      // the same experiment twice violates the key; neither the experiment nor its decision may be
      // half-written
      assertThrows(
          StoreException.class,
          () ->
              store.planExperiment(
                  run.id(), 1, REQUESTED, s, ExperimentStatus.PLANNED, OptionalInt.empty()));
      assertEquals(1, store.experiments(run.id()).size());
      assertEquals(1, store.decisions(run.id()).size());
    }
  }
}
