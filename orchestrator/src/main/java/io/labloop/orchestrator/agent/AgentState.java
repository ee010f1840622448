package io.labloop.orchestrator.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a daemon knows of one agent, from its retained status and its heartbeats.
 *
 * @param name the agent's name
 * @param online its status says online and its heartbeat is not overdue
 * @param reason why it is offline (empty when online)
 * @param session changes each time the agent starts
 * @param since when the agent started (or was last seen to change state)
 * @param lastHeartbeat when its last heartbeat arrived
 * @param heartbeatEvery how often the agent said it beats; silent for three of these, it is offline
 * @param instruments its instruments, each with the status its heartbeat gave ({@code ONLINE},
 *     {@code OFFLINE ...})
 */
public record AgentState(
    String name,
    boolean online,
    String reason,
    String session,
    Instant since,
    Optional<Instant> lastHeartbeat,
    Duration heartbeatEvery,
    List<String> instruments,
    Map<String, Map<String, Object>> instrumentStatus) {

  public AgentState {
    instruments = List.copyOf(instruments);
    instrumentStatus = Map.copyOf(instrumentStatus);
  }
}
