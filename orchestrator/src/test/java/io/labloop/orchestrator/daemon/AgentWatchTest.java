package io.labloop.orchestrator.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.labloop.orchestrator.agent.AgentState;
import io.labloop.orchestrator.api.AgentView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentWatchTest {

  @Test
  void anAgentsStateIsShownWithItsHeartbeatAgeByTheDaemonsClock() {
    Instant now = Instant.parse("2026-12-05T08:00:10Z");
    AgentState silent =
        new AgentState(
            "spectro-pc",
            false,
            "silent: no heartbeat for 7 s (expected every 2000 ms)",
            "s1",
            now.minusSeconds(3),
            Optional.of(now.minusMillis(7500)),
            Duration.ofSeconds(2),
            List.of("spectrometer"),
            Map.of());
    AgentView v = AgentWatch.view(silent, now);
    assertEquals("spectro-pc", v.name());
    assertFalse(v.online());
    assertEquals("silent: no heartbeat for 7 s (expected every 2000 ms)", v.reason());
    assertEquals("2026-12-05T08:00:02.500Z", v.lastHeartbeat());
    assertEquals(2.0, v.heartbeatSeconds());
    assertEquals(7.5, v.heartbeatAgeSeconds());
    assertEquals(List.of("spectrometer"), v.instruments());
  }

  @Test
  void beforeTheFirstHeartbeatThereIsNoAge() {
    AgentState fresh =
        new AgentState(
            "robot-pc",
            false,
            "no status yet",
            "",
            Instant.now(),
            Optional.empty(),
            Duration.ofMillis(1500),
            List.of(),
            Map.of());
    AgentView v = AgentWatch.view(fresh, Instant.now());
    assertNull(v.lastHeartbeat());
    assertNull(v.heartbeatAgeSeconds());
    assertEquals(1.5, v.heartbeatSeconds());
  }
}
