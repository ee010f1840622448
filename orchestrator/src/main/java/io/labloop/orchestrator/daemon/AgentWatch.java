package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.agent.AgentAlerts;
import io.labloop.orchestrator.agent.AgentState;
import io.labloop.orchestrator.api.AgentView;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.metrics.LabMetrics;
import io.labloop.orchestrator.store.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's instrument agents as the daemon shows them: {@code GET /api/agents}, the agent gauges
 * of {@code /metrics}, and the events when one goes offline or comes back (see {@link
 * AgentAlerts}).
 *
 * <p>Each event is published once on the event stream, lab-wide, and kept in the event log of every
 * run here whose workflow uses one of the agent's instruments: the run's export then says why its
 * steps were interrupted or waited, after the daemon restarted too.
 */
final class AgentWatch {
  private static final Logger log = LoggerFactory.getLogger(AgentWatch.class);

  private final Supplier<Lab> lab;
  private final EventFeed feed;
  private final LabEventsInRuns inRuns;

  AgentWatch(Supplier<Lab> lab, EventFeed feed, LabEventsInRuns inRuns, LabMetrics metrics) {
    this.lab = lab;
    this.feed = feed;
    this.inRuns = inRuns;
    metrics.agentsFrom(this::readings);
  }

  /**
   * Listens to the agents of {@code l}; called for every lab the daemon connects (at start and on
   * each reload), since a reload brings a new link to the broker.
   */
  void attach(Lab l) {
    if (l != null) l.agents().ifPresent(link -> AgentAlerts.watch(link, this::record));
  }

  List<AgentView> views() {
    Instant now = Instant.now();
    return states().stream().map(a -> view(a, now)).toList();
  }

  static AgentView view(AgentState a, Instant now) {
    return new AgentView(
        a.name(),
        a.online(),
        a.reason(),
        a.lastHeartbeat().map(Instant::toString).orElse(null),
        a.heartbeatEvery().toMillis() / 1000.0,
        a.lastHeartbeat().map(t -> age(t, now)).orElse(null),
        a.instruments());
  }

  private static double age(Instant t, Instant now) {
    return Math.max(0, Duration.between(t, now).toMillis()) / 1000.0;
  }

  private List<AgentState> states() {
    Lab l = lab.get();
    if (l == null) return List.of();
    return l.agents().map(link -> List.copyOf(link.agents().values())).orElse(List.of());
  }

  private List<LabMetrics.AgentReading> readings() {
    Instant now = Instant.now();
    return states().stream()
        .map(
            a ->
                new LabMetrics.AgentReading(
                    a.name(), a.online(), a.lastHeartbeat().map(t -> age(t, now))))
        .toList();
  }

  private void record(AgentAlerts.Alert a) {
    if (a.severity() == Severity.ALERT) log.warn("{}", a.message());
    else log.info("{}", a.message());
    feed.publish(ApiViews.live(null, a.kind(), a.severity(), null, null, null, a.message()));
    inRuns.keep(a.instruments(), a.kind(), a.severity(), Optional.empty(), a.message());
  }
}
