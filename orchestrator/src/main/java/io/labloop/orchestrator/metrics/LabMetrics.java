package io.labloop.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a lab engineer graphs: how many experiments are in each state, how long each command takes
 * on each instrument, how often instruments fail and how, how long the planner thinks, and how many
 * steps wait for each instrument.
 *
 * <p>Counts that the engine already knows (experiments by state, queue lengths) are read from
 * suppliers at scrape time rather than mirrored here, so the numbers cannot drift from the store;
 * durations and error counts are recorded as they happen.
 */
public final class LabMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge experiments;
  private final MultiGauge queues;
  private volatile Supplier<Map<String, Map<String, Integer>>> experimentCounts = Map::of;
  private volatile Supplier<Map<String, Integer>> queueLengths = Map::of;
  private final MultiGauge agentOnline;
  private final MultiGauge agentHeartbeatAge;
  private volatile Supplier<List<AgentReading>> agents = List::of;

  /**
   * One instrument agent at a scrape.
   *
   * @param heartbeatAgeSeconds seconds since its last heartbeat; empty before the first
   */
  public record AgentReading(
      String agent, boolean online, java.util.Optional<Double> heartbeatAgeSeconds) {}

  public LabMetrics() {
    experiments =
        MultiGauge.builder("labloop_experiments")
            .description("Experiments by campaign and state")
            .register(registry);
    queues =
        MultiGauge.builder("labloop_queue_length")
            .description("Steps waiting for an instrument")
            .register(registry);
    agentOnline =
        MultiGauge.builder("labloop_agent_online")
            .description("1 while the instrument agent is online, 0 while it is offline or silent")
            .register(registry);
    agentHeartbeatAge =
        MultiGauge.builder("labloop_agent_heartbeat_age_seconds")
            .description("Seconds since the instrument agent's last heartbeat")
            .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    @SuppressWarnings("resource") // lives as long as the registry, i.e. the daemon
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  /** For the API's request timer. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Campaign id to (state to count), read at every scrape. */
  public void experimentsFrom(Supplier<Map<String, Map<String, Integer>>> counts) {
    this.experimentCounts = counts;
  }

  /** Instrument to the number of steps waiting for it, read at every scrape. */
  public void queuesFrom(Supplier<Map<String, Integer>> lengths) {
    this.queueLengths = lengths;
  }

  /** The lab's instrument agents, read at every scrape (none when every instrument is local). */
  public void agentsFrom(Supplier<List<AgentReading>> readings) {
    this.agents = readings;
  }

  /** One command finished (or failed) on an instrument. */
  public void stepFinished(String instrument, String command, Duration took, String outcome) {
    Timer.builder("labloop_step_duration")
        .description("Time from sending a command to its answer")
        .tags("instrument", instrument, "command", command, "outcome", outcome)
        .publishPercentileHistogram(false)
        .register(registry)
        .record(took);
  }

  /** An instrument failed: kind is timeout, disconnected, refused, bad-reply or limit-violation. */
  public void instrumentError(String instrument, String kind) {
    Counter.builder("labloop_instrument_errors")
        .description("Instrument errors by kind")
        .tags("instrument", instrument, "kind", kind)
        .register(registry)
        .increment();
  }

  /** The planner took this long to suggest. */
  /**
   * One health probe: {@code outcome} ok, failed or busy (not sent because the instrument was in
   * use).
   */
  public void healthProbe(String instrument, String outcome, Duration took) {
    Timer.builder("labloop_health_probe")
        .description("Active instrument health probes")
        .tag("instrument", instrument)
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  /**
   * An instrument went ONLINE or not ONLINE ({@code state}) between two health checks; {@code
   * reasonKind} is the kind of cause ({@code COMMUNICATION}, {@code BRIDGE_DOWN} ...), {@code none}
   * when ONLINE.
   */
  public void instrumentStateChanged(String instrument, String state, String reasonKind) {
    Counter.builder("labloop_instrument_state_changes")
        .description(
            "Instrument moves between ONLINE and OFFLINE/ERROR seen by the health check, by kind of cause")
        .tag("instrument", instrument)
        .tag("state", state)
        .tag("reason", reasonKind)
        .register(registry)
        .increment();
  }

  public void plannerTime(String planner, Duration took) {
    Timer.builder("labloop_planner_duration")
        .description("Time the planner took for one suggestion")
        .tag("planner", planner)
        .register(registry)
        .record(took);
  }

  /** An experiment changed state (counts transitions; the gauge shows the current numbers). */
  public void experimentChanged(String state) {
    Counter.builder("labloop_experiment_transitions")
        .description("Experiment state changes")
        .tag("state", state)
        .register(registry)
        .increment();
  }

  /** The Prometheus text exposition, with the gauges read fresh. */
  public String scrape() {
    List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
    experimentCounts
        .get()
        .forEach(
            (campaign, byState) ->
                byState.forEach(
                    (state, n) ->
                        rows.add(
                            MultiGauge.Row.of(Tags.of("campaign", campaign, "state", state), n))));
    experiments.register(rows, true);
    List<MultiGauge.Row<?>> q = new java.util.ArrayList<>();
    queueLengths
        .get()
        .forEach((instrument, n) -> q.add(MultiGauge.Row.of(Tags.of("instrument", instrument), n)));
    queues.register(q, true);
    List<AgentReading> a = agents.get();
    agentOnline.register(
        a.stream()
            .<MultiGauge.Row<?>>map(
                r -> MultiGauge.Row.of(Tags.of("agent", r.agent()), r.online() ? 1 : 0))
            .toList(),
        true);
    agentHeartbeatAge.register(
        a.stream()
            .filter(r -> r.heartbeatAgeSeconds().isPresent())
            .<MultiGauge.Row<?>>map(
                r -> MultiGauge.Row.of(Tags.of("agent", r.agent()), r.heartbeatAgeSeconds().get()))
            .toList(),
        true);
    return registry.scrape();
  }
}
