package io.labloop.orchestrator.agent;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The topics of one agent, all under {@code labloop/agents/NAME/} so that a broker's access list
 * can give each agent exactly its own subtree ({@code config/mosquitto/acl}):
 *
 * <ul>
 *   <li>{@code labloop/agents/NAME/status}, retained: {@code {"state":"online","session":...,
 *       "instruments":[...]}} while the agent runs; its Last Will (also retained) and its clean
 *       stop set {@code "state":"offline"} with a reason.
 *   <li>{@code labloop/agents/NAME/heartbeat}: every interval, the agent's instruments and their
 *       status; a daemon that hears none for three intervals takes the agent for silent.
 *   <li>{@code labloop/agents/NAME/request}: the daemon's requests (MQTT 5 response topic and
 *       correlation data set), e.g. {@code {"op":"execute","instrument":"spectrometer",
 *       "command":"measure","arguments":{...},"key":"RUN/7/measure","attempt":1}}.
 *   <li>{@code labloop/agents/NAME/reply/CLIENT}: the agent's answers to the daemon whose MQTT
 *       client id is CLIENT, with the request's correlation data. Replies live under the agent's
 *       own subtree, so an agent never needs to write anywhere else.
 * </ul>
 */
public record AgentTopics(String agent) {

  public static final String ROOT = "labloop/agents/";

  /** What an agent may be called: it becomes one topic level, so no wildcards or slashes. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public AgentTopics {
    if (!NAME.matcher(agent).matches())
      throw new IllegalArgumentException(
          "agent name '"
              + agent
              + "' is not allowed: use letters, digits, '.', '_' and '-' (at most 64), starting"
              + " with a letter or digit");
  }

  public String status() {
    return ROOT + agent + "/status";
  }

  public String heartbeat() {
    return ROOT + agent + "/heartbeat";
  }

  public String request() {
    return ROOT + agent + "/request";
  }

  public String reply(String clientId) {
    return ROOT + agent + "/reply/" + clientId;
  }

  /** Every agent's status (retained), for a daemon. */
  static String allStatus() {
    return ROOT + "+/status";
  }

  static String allHeartbeats() {
    return ROOT + "+/heartbeat";
  }

  static String allReplies(String clientId) {
    return ROOT + "+/reply/" + clientId;
  }

  /** The agent a topic under {@link #ROOT} belongs to. */
  static Optional<String> agentOf(String topic) {
    if (!topic.startsWith(ROOT)) return Optional.empty();
    int slash = topic.indexOf('/', ROOT.length());
    return slash < 0 ? Optional.empty() : Optional.of(topic.substring(ROOT.length(), slash));
  }

  /** A problem with {@code name} as an agent name, or empty if it is fine. */
  public static Optional<String> problem(String name) {
    try {
      new AgentTopics(name);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
