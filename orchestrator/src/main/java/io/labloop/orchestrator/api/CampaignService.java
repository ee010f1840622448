package io.labloop.orchestrator.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the API needs from the campaign engine. The daemon adapts the real engine to it; tests use
 * an in-memory one. Methods that change something take the {@link Actor} that asked, and an
 * implementation records it in the campaign's events (the audit trail). Every method may throw
 * {@link ApiProblem} for an unknown id, a bad file or a change the state does not allow.
 */
public interface CampaignService {

  /**
   * Checks a campaign file and starts it (or plans its start when it has a {@code schedule:}).
   *
   * @param fileName the name problems are reported under ({@code FILE:LINE:COLUMN})
   * @param yaml the file's exact text
   * @throws ApiProblem 400 with every problem of the file
   */
  CampaignView submit(String fileName, String yaml, Actor who);

  /** Every campaign run the store knows, newest first. */
  List<CampaignView> campaigns();

  CampaignView campaign(String id);

  /**
   * As {@link #campaign(String)}, for a caller that has just read the run's experiments from the
   * store (the console's snapshot): an implementation may count them instead of reading them again.
   */
  default CampaignView campaign(
      String id, List<io.labloop.orchestrator.store.ExperimentRecord> stored) {
    return campaign(id);
  }

  List<ExperimentView> experiments(String id);

  List<ObservationView> observations(String id);

  /** The campaign's events in order, audit records included. */
  List<EventView> events(String id);

  /** Suggestions waiting for a person, oldest first (empty for {@code approval: auto}). */
  List<ApprovalView> approvals(String id);

  /** The campaign's data as {@code labloop export} writes it. */
  String export(String id, ExportFormat format);

  List<InstrumentView> instruments();

  /**
   * One instrument with who holds it, its last command, health probes and alerts. This default
   * knows only the state; the daemon adds the rest.
   *
   * @throws ApiProblem 404 for an instrument the lab does not have
   */
  default InstrumentDetail instrument(String name) {
    InstrumentView view =
        instruments().stream()
            .filter(i -> i.name().equals(name))
            .findFirst()
            .orElseThrow(() -> ApiProblem.notFound("no instrument " + name + " in the lab"));
    return new InstrumentDetail(view, List.of(), null, List.of(), List.of());
  }

  /**
   * The instrument agents of the lab, by name; empty when every instrument is on the daemon's own
   * PC.
   */
  default List<AgentView> agents() {
    return List.of();
  }

  /** Finish running steps, start none. */
  CampaignView pause(String id, Actor who);

  CampaignView resume(String id, Actor who);

  /** Stop the campaign and send each instrument its configured abort command. */
  CampaignView abort(String id, Actor who);

  /** Abort every running campaign at once. */
  void emergencyStop(Actor who);

  /** Let a waiting suggestion run. */
  void approve(String id, int seq, Actor who);

  /**
   * A researcher's own conditions, planned as the next experiment and marked as chosen by a person
   * ({@code planner: human} in its decision).
   *
   * @return the new experiment
   * @throws ApiProblem 400 naming every problem if the point is outside the space (a parameter
   *     missing or out of range, a constraint broken); 409 if the run is not running here, is
   *     stopping, has no budget left, or already runs the same conditions
   */
  ExperimentView suggest(String id, Map<String, Object> point, Actor who);

  /** Refuse a waiting suggestion; the planner learns it as infeasible. */
  void reject(String id, int seq, String reason, Actor who);

  /**
   * Settles an experiment HELD after an interruption ({@code on-interrupt: hold}): retry its
   * conditions as a new experiment, mark it failed, or record values measured by hand.
   *
   * @return the experiment afterwards; for a retry, the new experiment
   * @throws ApiProblem 409 if it is not held, or the run cannot take the decision (no budget left
   *     to retry, the run ended or runs outside this daemon); 400 for values that do not match the
   *     campaign's objectives
   */
  ExperimentView release(String id, int seq, ReleaseRequest request, Actor who);

  /**
   * Calls {@code listener} for every new event (progress, alerts, audit) until the returned handle
   * is closed. The listener must return quickly; it may be called from engine threads.
   */
  Subscription subscribe(Consumer<EventView> listener);

  /** Ends a {@link #subscribe} registration. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
