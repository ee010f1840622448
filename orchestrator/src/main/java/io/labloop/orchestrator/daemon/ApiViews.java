package io.labloop.orchestrator.daemon;

import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.InstrumentView;
import io.labloop.orchestrator.api.ObservationView;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.daemon.Submissions.Submission;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Severity;
import io.labloop.planners.Suggestion;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store's records as the API shows them: the one place that decides a status's API spelling, a
 * run id's ({@link RunId#api()}), and what a view holds when a value is missing (null, never a
 * made-up default). Pure functions of their arguments.
 */
final class ApiViews {
  private ApiViews() {}

  /** A run's API id ({@code NAME~N}) from its store id ({@code NAME/N}). */
  static String id(String runId) {
    return RunId.of(runId).api();
  }

  /**
   * A run. {@code config} and {@code progress} are known for a run this daemon runs or ran (else
   * the counts are read from the store's experiments).
   *
   * @param runningHere this daemon runs it now
   * @param drivenBy who drives it (or drove it last), null if not recorded
   * @param drivenElsewhere another process (daemon, {@code labloop run}) holds its claim now
   */
  static CampaignView campaign(
      RunRecord r,
      CampaignConfig config,
      Optional<Progress> progress,
      boolean runningHere,
      String drivenBy,
      boolean drivenElsewhere,
      List<ExperimentRecord> storedExperiments) {
    Progress p = progress.orElse(null);
    String status =
        switch (r.status()) {
          case COMPLETED -> "DONE";
          case ABORTED -> "ABORTED";
          case RUNNING ->
              !runningHere
                  ? drivenElsewhere ? "RUNNING" : "STOPPED"
                  : p != null && p.state() == Progress.State.PAUSED ? "PAUSED" : "RUNNING";
        };
    int reached;
    int done;
    int failed;
    int held;
    Map<String, Object> best = null;
    if (p != null) {
      reached = p.counted();
      done = p.done();
      failed = p.failed();
      held = p.held();
      if (p.best().isPresent()) {
        best = new LinkedHashMap<>(p.best().get().point().values());
        best.putAll(p.best().get().values());
        best.put("seq", p.best().get().seq());
      }
    } else {
      List<ExperimentRecord> xs = storedExperiments;
      reached = (int) xs.stream().filter(ExperimentRecord::reached).count();
      done = (int) xs.stream().filter(x -> x.status() == ExperimentStatus.DONE).count();
      failed =
          (int)
              xs.stream()
                  .filter(x -> x.status().finished() && x.status() != ExperimentStatus.DONE)
                  .count();
      held = (int) xs.stream().filter(x -> x.status() == ExperimentStatus.HELD).count();
    }
    CampaignConfig c = config;
    Integer budget =
        c == null
            ? null
            : c.budget().experiments().isPresent() ? c.budget().experiments().getAsInt() : null;
    return new CampaignView(
        id(r.id()),
        r.campaign(),
        status,
        c == null ? null : c.approval().name(),
        c == null ? null : c.schedule().orElse(null),
        reached,
        done,
        failed,
        budget,
        r.startedAt().toString(),
        r.startedAt().toString(),
        r.endedAt().map(Instant::toString).orElse(null),
        r.stopReason().orElse(null),
        best,
        held,
        runningHere,
        drivenBy);
  }

  /** A campaign waiting for its schedule: it has no run yet and is known by its name. */
  static CampaignView scheduled(Submission s, Optional<Instant> at) {
    return new CampaignView(
        s.name(),
        s.name(),
        "SCHEDULED",
        null,
        s.schedule(),
        0,
        0,
        0,
        null,
        s.submittedAt(),
        null,
        null,
        at.map(t -> "starts " + t).orElse("the schedule never matches again"),
        null,
        0,
        false,
        null);
  }

  /** A campaign whose planned start was cancelled before it had a run. */
  static CampaignView cancelled(Submission s, String who) {
    return new CampaignView(
        s.name(),
        s.name(),
        "ABORTED",
        "AUTO",
        s.schedule(),
        0,
        0,
        0,
        null,
        s.submittedAt(),
        null,
        Instant.now().toString(),
        "cancelled before its start by " + who,
        null,
        0,
        false,
        null);
  }

  static ExperimentView experiment(ExperimentRecord e) {
    return new ExperimentView(
        e.seq(),
        e.status() == ExperimentStatus.AWAITING_APPROVAL ? "WAITING_APPROVAL" : e.status().name(),
        e.requested().values(),
        e.achieved().map(p -> p.values()).orElse(null),
        e.values().isEmpty() ? null : e.values(),
        e.cause().orElse(null),
        e.plannedAt().toString(),
        e.startedAt().map(Instant::toString).orElse(null),
        e.endedAt().map(Instant::toString).orElse(null),
        e.retryOf().isPresent() ? e.retryOf().getAsInt() : null);
  }

  static ObservationView observation(ObservationRecord o) {
    return new ObservationView(
        o.seq(),
        o.observation().status().name(),
        o.requested().values(),
        o.observation().point().values(),
        o.observation().values(),
        o.recordedAt().toString());
  }

  /**
   * An experiment waiting for approval, with the planner's reasons ({@code s} null when none was
   * stored).
   */
  static ApprovalView approval(ExperimentRecord e, Suggestion s) {
    return new ApprovalView(
        e.seq(),
        e.requested().values(),
        s == null ? "" : s.planner(),
        s == null ? "" : s.reason(),
        s == null || Double.isNaN(s.acquisition()) ? null : s.acquisition(),
        s == null ? Map.of() : s.predictedMean(),
        s == null ? Map.of() : s.predictedSd(),
        e.plannedAt().toString());
  }

  /** A stored event of a run. */
  static EventView event(EventRecord e) {
    return new EventView(
        id(e.runId()),
        e.ordinal(),
        e.at().toString(),
        e.kind().label(),
        e.severity().name(),
        e.actor().orElse(null),
        e.instrument().orElse(null),
        e.seq().isPresent() ? e.seq().getAsInt() : null,
        e.message());
  }

  /**
   * An event that is published on the stream but not stored (ordinal 0), stamped now.
   *
   * @param runId the store id of the run it concerns, or null for a lab-wide event
   */
  static EventView live(
      String runId,
      EventKind kind,
      Severity severity,
      String actor,
      String instrument,
      Integer seq,
      String message) {
    return new EventView(
        runId == null ? null : id(runId),
        0,
        Instant.now().toString(),
        kind.label(),
        severity.name(),
        actor,
        instrument,
        seq,
        message);
  }

  /**
   * @param agent the agent that drives the instrument, null for one on the daemon's PC
   */
  static InstrumentView instrument(
      String name, String driver, InstrumentStatus st, int busy, int queued, String agent) {
    return new InstrumentView(
        name,
        driver,
        st.state().name(),
        st.reasonKind().map(Enum::name).orElse(null),
        st.reason(),
        st.lastError(),
        st.since().toString(),
        busy,
        queued,
        agent);
  }
}
