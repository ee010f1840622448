package io.labloop.orchestrator.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentAlertsTest {

  static AgentState agent(boolean online, String reason) {
    return new AgentState(
        "spectro-pc",
        online,
        reason,
        "s1",
        Instant.now(),
        Optional.of(Instant.now()),
        Duration.ofSeconds(2),
        List.of("spectrometer", "balance"),
        Map.of());
  }

  @Test
  void oneAlertWhenAnAgentGoesOfflineAndOneInfoWhenItReturns() {
    List<AgentAlerts.Alert> told = new ArrayList<>();
    AgentAlerts alerts = new AgentAlerts(told::add);
    alerts.online(agent(true, "")); // the lab connecting: nothing to say
    assertTrue(told.isEmpty(), told.toString());

    AgentState silent = agent(false, "silent: no heartbeat for 7 s (expected every 2000 ms)");
    alerts.offline(silent);
    alerts.offline(silent); // told twice (a Last Will after the silence): still one alert
    assertEquals(1, told.size(), told.toString());
    AgentAlerts.Alert a = told.get(0);
    assertEquals(EventKind.AGENT_OFFLINE, a.kind());
    assertEquals(Severity.ALERT, a.severity());
    assertEquals(List.of("spectrometer", "balance"), a.instruments());
    assertTrue(a.message().contains("spectro-pc"), a.message());
    assertTrue(a.message().contains("silent: no heartbeat"), a.message());
    assertTrue(a.message().contains("spectrometer, balance"), a.message());

    alerts.online(agent(true, ""));
    alerts.online(agent(true, ""));
    assertEquals(2, told.size(), told.toString());
    assertEquals(EventKind.AGENT_ONLINE, told.get(1).kind());
    assertEquals(Severity.INFO, told.get(1).severity());
  }
}
