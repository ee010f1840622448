package io.labloop.orchestrator.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * An in-memory {@link CampaignService} for testing the API layer: YAML syntax is checked (with the
 * positions snakeyaml reports), campaigns do not run by themselves; a test moves them along with
 * {@link #addExperiment}.
 */
public class FakeCampaignService implements CampaignService {

  private static final class Run {
    final String id;
    final String name;
    final boolean manual;
    String status = "RUNNING";
    final List<ExperimentView> experiments = new ArrayList<>();
    final List<ApprovalView> waiting = new ArrayList<>();
    final List<EventView> events = new ArrayList<>();

    Run(String id, String name, boolean manual) {
      this.id = id;
      this.name = name;
      this.manual = manual;
    }
  }

  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final List<Consumer<EventView>> listeners = new CopyOnWriteArrayList<>();

  /** Every audit record, in order, for the tests to check who did what. */
  public final List<EventView> audit = new CopyOnWriteArrayList<>();

  @Override
  public synchronized CampaignView submit(String fileName, String yaml, Actor who) {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    } catch (MarkedYamlEngineException e) {
      var mark = e.getProblemMark().orElseThrow();
      throw ApiProblem.invalid(
          fileName + " has problems",
          List.of(
              fileName
                  + ":"
                  + (mark.getLine() + 1)
                  + ":"
                  + (mark.getColumn() + 1)
                  + ": error: "
                  + e.getProblem()));
    }
    if (!(doc instanceof Map<?, ?> m) || !(m.get("campaign") instanceof String name)) {
      throw ApiProblem.invalid(
          fileName + " has problems",
          List.of(fileName + ":1:1: error: missing key 'campaign' (expected the campaign's name)"));
    }
    Run r = new Run(name + "-" + (runs.size() + 1), name, "manual".equals(m.get("approval")));
    runs.put(r.id, r);
    event(r, "AUDIT", who, null, who.name() + " submitted " + fileName);
    return view(r);
  }

  /** Moves a campaign along: a finished experiment, or a waiting suggestion when manual. */
  public synchronized void addExperiment(String id, Map<String, Object> point, double value) {
    Run r = run(id);
    int seq = r.experiments.size() + r.waiting.size() + 1;
    if (r.manual) {
      r.waiting.add(
          new ApprovalView(seq, point, "random", "uniform draw", null, Map.of(), Map.of(), now()));
      event(r, "APPROVAL_WAITING", null, seq, "experiment " + seq + " waits for approval");
    } else {
      r.experiments.add(
          new ExperimentView(
              seq, "DONE", point, point, Map.of("y", value), null, now(), now(), now(), null));
      event(r, "EXPERIMENT_DONE", null, seq, "experiment " + seq + " done");
    }
  }

  /** An experiment held after an interruption, for a test to release. */
  public synchronized int addHeld(String id, Map<String, Object> point) {
    Run r = run(id);
    int seq = r.experiments.size() + r.waiting.size() + 1;
    r.experiments.add(
        new ExperimentView(
            seq, "HELD", point, null, null, "interrupted", now(), now(), now(), null));
    return seq;
  }

  @Override
  public synchronized ExperimentView release(
      String id, int seq, ReleaseRequest request, Actor who) {
    Run r = run(id);
    ExperimentView held =
        r.experiments.stream()
            .filter(e -> e.seq() == seq && e.status().equals("HELD"))
            .findFirst()
            .orElseThrow(
                () -> ApiProblem.conflict("experiment " + seq + " of " + r.id + " is not held"));
    r.experiments.remove(held);
    ExperimentView after =
        switch (request.action()) {
          case RETRY -> {
            r.experiments.add(
                new ExperimentView(
                    seq,
                    "INTERRUPTED",
                    held.requested(),
                    null,
                    null,
                    "retried",
                    now(),
                    now(),
                    now(),
                    null));
            yield new ExperimentView(
                r.experiments.size() + r.waiting.size() + 1,
                "PLANNED",
                held.requested(),
                null,
                null,
                null,
                now(),
                null,
                null,
                seq);
          }
          case FAIL ->
              new ExperimentView(
                  seq,
                  "FAILED",
                  held.requested(),
                  null,
                  null,
                  request.reason(),
                  now(),
                  now(),
                  now(),
                  null);
          case MEASURED ->
              new ExperimentView(
                  seq,
                  "DONE",
                  held.requested(),
                  held.requested(),
                  request.values(),
                  request.reason(),
                  now(),
                  now(),
                  now(),
                  null);
        };
    r.experiments.add(after);
    event(
        r,
        "AUDIT",
        who,
        seq,
        who.name() + " released experiment " + seq + ": " + request.action().wire());
    return after;
  }

  @Override
  public synchronized List<CampaignView> campaigns() {
    return runs.values().stream().map(this::view).toList();
  }

  @Override
  public synchronized CampaignView campaign(String id) {
    return view(run(id));
  }

  @Override
  public synchronized List<ExperimentView> experiments(String id) {
    return List.copyOf(run(id).experiments);
  }

  @Override
  public synchronized List<ObservationView> observations(String id) {
    return run(id).experiments.stream()
        .map(
            e ->
                new ObservationView(
                    e.seq(), "OK", e.requested(), e.achieved(), e.objectives(), e.endedAt()))
        .toList();
  }

  @Override
  public synchronized List<EventView> events(String id) {
    return List.copyOf(run(id).events);
  }

  @Override
  public synchronized List<ApprovalView> approvals(String id) {
    return List.copyOf(run(id).waiting);
  }

  @Override
  public synchronized String export(String id, ExportFormat format) {
    Run r = run(id);
    StringBuilder sb = new StringBuilder(format == ExportFormat.CSV ? "seq,status,y\n" : "");
    for (ExperimentView e : r.experiments) {
      sb.append(
          format == ExportFormat.CSV
              ? e.seq() + "," + e.status() + "," + e.objectives().get("y") + "\n"
              : "{\"seq\":" + e.seq() + "}\n");
    }
    return sb.toString();
  }

  @Override
  public List<InstrumentView> instruments() {
    return List.of(
        new InstrumentView("robot", "opcua", "ONLINE", null, "", "", now(), 0, 0, null),
        new InstrumentView(
            "spectrometer",
            "serial",
            "ERROR",
            "COMMUNICATION",
            "timeout",
            "MEAS timed out after 30s",
            now(),
            0,
            1,
            "spectro-pc"));
  }

  @Override
  public List<AgentView> agents() {
    return List.of(
        new AgentView(
            "spectro-pc",
            false,
            "silent: no heartbeat for 7 s (expected every 2000 ms)",
            now(),
            2.0,
            7.0,
            List.of("spectrometer")));
  }

  @Override
  public synchronized CampaignView pause(String id, Actor who) {
    return change(id, who, "RUNNING", "PAUSED", "paused");
  }

  @Override
  public synchronized CampaignView resume(String id, Actor who) {
    return change(id, who, "PAUSED", "RUNNING", "resumed");
  }

  @Override
  public synchronized CampaignView abort(String id, Actor who) {
    Run r = run(id);
    if (!r.status.equals("RUNNING") && !r.status.equals("PAUSED")) {
      throw ApiProblem.conflict(
          "campaign "
              + id
              + " is "
              + r.status
              + "; only a running or paused campaign can be aborted");
    }
    r.status = "ABORTED";
    event(r, "AUDIT", who, null, who.name() + " aborted the campaign");
    return view(r);
  }

  @Override
  public synchronized void emergencyStop(Actor who) {
    for (Run r : runs.values()) {
      if (r.status.equals("RUNNING") || r.status.equals("PAUSED")) {
        r.status = "ABORTED";
        event(r, "AUDIT", who, null, who.name() + " pressed emergency stop");
      }
    }
  }

  @Override
  public synchronized void approve(String id, int seq, Actor who) {
    Run r = run(id);
    ApprovalView a = waiting(r, seq);
    r.waiting.remove(a);
    r.experiments.add(
        new ExperimentView(seq, "PLANNED", a.point(), null, null, null, now(), null, null, null));
    event(r, "AUDIT", who, seq, who.name() + " approved experiment " + seq);
  }

  @Override
  public synchronized ExperimentView suggest(
      String id, java.util.Map<String, Object> point, Actor who) {
    Run r = run(id);
    int seq = r.experiments.size() + r.waiting.size() + 1;
    ExperimentView e =
        new ExperimentView(seq, "PLANNED", point, null, null, null, now(), null, null, null);
    r.experiments.add(e);
    event(r, "AUDIT", who, seq, who.name() + " chose experiment " + seq);
    return e;
  }

  @Override
  public synchronized void reject(String id, int seq, String reason, Actor who) {
    Run r = run(id);
    ApprovalView a = waiting(r, seq);
    r.waiting.remove(a);
    r.experiments.add(
        new ExperimentView(
            seq, "REJECTED", a.point(), null, null, reason, now(), null, now(), null));
    event(r, "AUDIT", who, seq, who.name() + " rejected experiment " + seq + ": " + reason);
  }

  @Override
  public Subscription subscribe(Consumer<EventView> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private ApprovalView waiting(Run r, int seq) {
    return r.waiting.stream()
        .filter(a -> a.seq() == seq)
        .findFirst()
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "experiment " + seq + " of " + r.id + " is not waiting for approval"));
  }

  private CampaignView change(String id, Actor who, String from, String to, String verb) {
    Run r = run(id);
    if (!r.status.equals(from)) {
      throw ApiProblem.conflict("campaign " + id + " is " + r.status + ", not " + from);
    }
    r.status = to;
    event(r, "AUDIT", who, null, who.name() + " " + verb + " the campaign");
    return view(r);
  }

  private void event(Run r, String kind, Actor who, Integer seq, String message) {
    EventView e =
        new EventView(
            r.id,
            r.events.size() + 1,
            now(),
            kind,
            "INFO",
            who == null ? null : who.name(),
            null,
            seq,
            message);
    r.events.add(e);
    if (who != null) audit.add(e);
    listeners.forEach(l -> l.accept(e));
  }

  private Run run(String id) {
    Run r = runs.get(id);
    if (r == null) throw ApiProblem.notFound("no campaign '" + id + "'");
    return r;
  }

  private CampaignView view(Run r) {
    int done = (int) r.experiments.stream().filter(e -> e.status().equals("DONE")).count();
    return new CampaignView(
        r.id,
        r.name,
        r.status,
        r.manual ? "MANUAL" : "AUTO",
        null,
        r.experiments.size(),
        done,
        0,
        10,
        now(),
        now(),
        null,
        null,
        null,
        (int) r.experiments.stream().filter(e -> e.status().equals("HELD")).count(),
        true,
        "fake-daemon");
  }

  private static String now() {
    return Instant.now().toString();
  }
}
