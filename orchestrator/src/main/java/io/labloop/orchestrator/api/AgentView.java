package io.labloop.orchestrator.api;

import java.util.List;

/**
 * One instrument agent of the lab (an instrument PC running {@code labloop agent}), as the daemon
 * sees it on the broker.
 *
 * @param name the agent's name ({@code agent:} on its instruments)
 * @param online its status says online and its heartbeat is not overdue
 * @param reason why it is offline (its Last Will, "stopped", or "silent: no heartbeat for N s");
 *     empty when online
 * @param lastHeartbeat ISO-8601 time its last heartbeat arrived, null before the first
 * @param heartbeatSeconds how often it beats; three missed beats make it offline
 * @param heartbeatAgeSeconds seconds since its last heartbeat, by the daemon's clock (so a client
 *     on another PC with another clock reads the same age); null before the first
 * @param instruments the instruments it offers
 */
public record AgentView(
    String name,
    boolean online,
    String reason,
    String lastHeartbeat,
    double heartbeatSeconds,
    Double heartbeatAgeSeconds,
    List<String> instruments) {

  public AgentView {
    instruments = List.copyOf(instruments);
  }
}
