package io.labloop.orchestrator.agent;

import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.InstrumentStatus.ReasonKind;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An instrument driven by an agent on another PC, as the lab and the campaign engine see it: each
 * command goes to the agent with its journal key and comes back as the agent's driver answered it.
 * The daemon-side checks (limits, interlocks, leases, watchdog) stay in the engine and the lab,
 * before this is called.
 *
 * <p>Its deadline is the command's timeout (three of them and the driver's pauses for an idempotent
 * command, which the agent's driver may re-send) plus half a second for the network, so it answers
 * before the engine's watchdog. Its status is OFFLINE ({@link ReasonKind#BRIDGE_DOWN}) while the
 * daemon is not connected to the broker or the agent is offline or silent, otherwise what the
 * agent's last heartbeat said of the instrument.
 */
public final class RemoteInstrument implements Instrument {

  private final InstrumentConfig config;
  private final String agent;
  private final AgentLink link;
  private volatile boolean closed;

  public RemoteInstrument(InstrumentConfig config, String agent, AgentLink link) {
    this.config = config;
    this.agent = agent;
    this.link = link;
  }

  @Override
  public String name() {
    return config.name();
  }

  public String agent() {
    return agent;
  }

  /** Completes when the agent is online; the lab's connect timeout bounds the wait. */
  @Override
  public CompletableFuture<Void> connect() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    Runnable check =
        () -> {
          if (link.agent(agent).map(AgentState::online).orElse(false)) f.complete(null);
        };
    AgentLink.Listener l =
        new AgentLink.Listener() {
          @Override
          public void offline(AgentState a) {}

          @Override
          public void online(AgentState a) {
            if (a.name().equals(agent)) f.complete(null);
          }
        };
    link.addListener(l);
    check.run();
    return f.exceptionallyCompose(
        e ->
            CompletableFuture.failedFuture(
                new InstrumentError.Disconnected(
                    name(), "connect", "agent " + agent + " is not online: " + reason(), e)));
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    CommandConfig c = config.commands().get(command.name());
    if (c == null)
      return CompletableFuture.failedFuture(
          new InstrumentError.Refused(
              name(),
              command.name(),
              "no such command (it has " + config.commands().keySet() + ")"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("op", "execute");
    body.put("instrument", name());
    body.put("command", command.name());
    body.put("arguments", command.arguments());
    command
        .journal()
        .ifPresent(
            j -> {
              body.put("key", j.key());
              body.put("attempt", j.attempt());
            });
    Duration work = c.idempotent() ? c.timeout().multipliedBy(3).plusMillis(1500) : c.timeout();
    return link.request(agent, name(), command.name(), body, work.plusMillis(500))
        .thenCompose(
            m -> {
              if (Boolean.TRUE.equals(m.get("ok")))
                return CompletableFuture.completedFuture(AgentMessages.reply(command.name(), m));
              return CompletableFuture.failedFuture(AgentMessages.error(name(), command.name(), m));
            });
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("op", "read");
    body.put("instrument", name());
    body.put("variable", variable);
    return link.request(agent, name(), "read " + variable, body, Duration.ofSeconds(10))
        .thenCompose(
            m ->
                Boolean.TRUE.equals(m.get("ok"))
                    ? CompletableFuture.completedFuture(AgentMessages.value(m.get("value")))
                    : CompletableFuture.failedFuture(
                        AgentMessages.error(name(), "read " + variable, m)));
  }

  private String reason() {
    if (!link.connected()) return "the daemon is not connected to the broker " + link.url();
    return link.agent(agent)
        .map(a -> a.online() ? "" : a.reason())
        .orElse("agent " + agent + " has not been seen on " + link.url());
  }

  @Override
  public InstrumentStatus status() {
    if (closed) return InstrumentStatus.offline(ReasonKind.GONE, "closed");
    Optional<AgentState> a = link.agent(agent);
    if (!link.connected() || a.isEmpty() || !a.get().online())
      return InstrumentStatus.offline(ReasonKind.BRIDGE_DOWN, "agent " + agent + ": " + reason());
    Map<String, Object> mine = a.get().instrumentStatus().get(name());
    if (mine == null || "ONLINE".equals(mine.get("state")))
      return InstrumentStatus.online(a.get().since(), "");
    ReasonKind kind;
    try {
      kind = ReasonKind.valueOf(String.valueOf(mine.get("reason-kind")));
    } catch (IllegalArgumentException e) {
      kind = ReasonKind.COMMUNICATION;
    }
    String reason = "on agent " + agent + ": " + mine.getOrDefault("reason", mine.get("state"));
    return "ERROR".equals(mine.get("state"))
        ? new InstrumentStatus(
            InstrumentStatus.State.ERROR, Optional.of(kind), reason, Instant.now(), reason)
        : InstrumentStatus.offline(kind, reason);
  }

  @Override
  public void close() {
    closed = true;
  }
}
