package io.labloop.orchestrator.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabMetricsTest {

  @Test
  void scrapeShowsWhatALabEngineerGraphs() {
    LabMetrics m = new LabMetrics();
    Map<String, Map<String, Integer>> counts =
        new HashMap<>(Map.of("silver-1", Map.of("DONE", 7, "RUNNING", 2)));
    m.experimentsFrom(() -> counts);
    m.queuesFrom(() -> Map.of("spectrometer", 3));
    m.stepFinished("robot", "synthesize", Duration.ofMillis(1800), "done");
    m.instrumentError("spectrometer", "timeout");
    m.instrumentError("spectrometer", "timeout");
    m.plannerTime("bayesian", Duration.ofMillis(150));

    String text = m.scrape();
    assertTrue(
        text.contains("labloop_experiments{campaign=\"silver-1\",state=\"DONE\"} 7.0"), text);
    assertTrue(text.contains("labloop_queue_length{instrument=\"spectrometer\"} 3.0"), text);
    assertTrue(
        text.contains(
            "labloop_step_duration_seconds_count{command=\"synthesize\",instrument=\"robot\",outcome=\"done\"} 1"),
        text);
    assertTrue(
        text.contains(
            "labloop_instrument_errors_total{instrument=\"spectrometer\",kind=\"timeout\"} 2.0"),
        text);
    assertTrue(
        text.contains("labloop_planner_duration_seconds_sum{planner=\"bayesian\"} 0.15"), text);
  }

  @Test
  void gaugesFollowTheEngineNotAStaleCopy() {
    LabMetrics m = new LabMetrics();
    Map<String, Map<String, Integer>> counts = new HashMap<>(Map.of("a", Map.of("RUNNING", 1)));
    m.experimentsFrom(() -> counts);
    assertTrue(m.scrape().contains("labloop_experiments{campaign=\"a\",state=\"RUNNING\"} 1.0"));
    counts.clear();
    counts.put("b", Map.of("DONE", 4));
    String text = m.scrape();
    assertFalse(text.contains("campaign=\"a\""), text);
    assertTrue(text.contains("labloop_experiments{campaign=\"b\",state=\"DONE\"} 4.0"), text);
  }

  @Test
  void agentsAreGaugedOnlineAndByHeartbeatAge() {
    LabMetrics m = new LabMetrics();
    java.util.List<LabMetrics.AgentReading> agents =
        new java.util.ArrayList<>(
            java.util.List.of(
                new LabMetrics.AgentReading("robot-pc", true, java.util.Optional.of(0.5)),
                new LabMetrics.AgentReading("spectro-pc", false, java.util.Optional.of(12.0)),
                new LabMetrics.AgentReading("new-pc", false, java.util.Optional.empty())));
    m.agentsFrom(() -> agents);
    String text = m.scrape();
    assertTrue(text.contains("labloop_agent_online{agent=\"robot-pc\"} 1.0"), text);
    assertTrue(text.contains("labloop_agent_online{agent=\"spectro-pc\"} 0.0"), text);
    assertTrue(text.contains("labloop_agent_online{agent=\"new-pc\"} 0.0"), text);
    assertTrue(
        text.contains("labloop_agent_heartbeat_age_seconds{agent=\"spectro-pc\"} 12.0"), text);
    assertFalse(
        text.contains("labloop_agent_heartbeat_age_seconds{agent=\"new-pc\"}"),
        "no age before the first heartbeat");
    agents.remove(0);
    assertFalse(m.scrape().contains("agent=\"robot-pc\""), "an agent gone from the lab leaves");
  }
}
