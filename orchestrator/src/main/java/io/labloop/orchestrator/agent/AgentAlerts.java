package io.labloop.orchestrator.agent;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.Severity;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns an {@link AgentLink}'s changes into the lab's events: one {@link Severity#ALERT} ({@link
 * EventKind#AGENT_OFFLINE}) when an agent goes offline or silent, and one {@link Severity#INFO}
 * ({@link EventKind#AGENT_ONLINE}) when it comes back. The agent's instruments are then OFFLINE
 * with {@code BRIDGE_DOWN} (see {@link RemoteInstrument#status()}): the fault is the path to the PC
 * they hang on, shared by all of them, so the alert is the agent's, once, not one per instrument.
 *
 * <p>An agent seen online for the first time (the lab connecting) raises nothing; only a return
 * after an alert is told.
 */
public final class AgentAlerts implements AgentLink.Listener {

  /**
   * One event to record.
   *
   * @param agent the agent's name
   * @param instruments the instruments it offers (they are OFFLINE while it is)
   * @param message for a person: which agent, why, which instruments
   */
  public record Alert(
      EventKind kind, Severity severity, String agent, List<String> instruments, String message) {
    public Alert {
      instruments = List.copyOf(instruments);
    }
  }

  private final Consumer<Alert> sink;
  private final Set<String> offline = ConcurrentHashMap.newKeySet();

  public AgentAlerts(Consumer<Alert> sink) {
    this.sink = sink;
  }

  /** Listens to {@code link} from now on, handing each event to {@code sink}. */
  public static AgentAlerts watch(AgentLink link, Consumer<Alert> sink) {
    AgentAlerts alerts = new AgentAlerts(sink);
    link.addListener(alerts);
    return alerts;
  }

  @Override
  public void offline(AgentState agent) {
    if (!offline.add(agent.name())) return;
    sink.accept(
        new Alert(
            EventKind.AGENT_OFFLINE,
            Severity.ALERT,
            agent.name(),
            agent.instruments(),
            "agent "
                + agent.name()
                + " is offline: "
                + agent.reason()
                + "; its instruments "
                + String.join(", ", agent.instruments())
                + " are OFFLINE (BRIDGE_DOWN) until it is back"));
  }

  @Override
  public void online(AgentState agent) {
    if (!offline.remove(agent.name())) return;
    sink.accept(
        new Alert(
            EventKind.AGENT_ONLINE,
            Severity.INFO,
            agent.name(),
            agent.instruments(),
            "agent "
                + agent.name()
                + " is online again; its instruments "
                + String.join(", ", agent.instruments())
                + " are back"));
  }
}
