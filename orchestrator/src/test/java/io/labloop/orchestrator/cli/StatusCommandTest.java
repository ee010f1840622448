package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.orchestrator.api.AgentView;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void anAgentLineSaysItsStateWhyItsLastHeartbeatAndItsInstruments() {
    assertEquals(
        "spectro-pc       OFFLINE  last heartbeat 7.5 s ago  instruments spectrometer, balance"
            + "  (silent: no heartbeat for 7 s (expected every 2000 ms))",
        StatusCommand.agentLine(
            new AgentView(
                "spectro-pc",
                false,
                "silent: no heartbeat for 7 s (expected every 2000 ms)",
                "2026-12-05T08:00:02.500Z",
                2.0,
                7.5,
                List.of("spectrometer", "balance"))));
    assertEquals(
        "robot-pc         ONLINE   last heartbeat never  instruments -",
        StatusCommand.agentLine(new AgentView("robot-pc", true, "", null, 2.0, null, List.of())));
  }

  @Test
  void theBestColumnShowsNumbersAsTheRunSummaryDoes() {
    java.util.Map<String, Object> best = new java.util.LinkedHashMap<>();
    best.put("temperature", 164.61399298161268);
    best.put("solvent", "ethylene-glycol");
    best.put("peak", 515.3647);
    best.put("seq", 2);
    assertEquals(
        "temperature=164.614 solvent=ethylene-glycol peak=515.3647 seq=2",
        StatusCommand.best(best));
  }
}
