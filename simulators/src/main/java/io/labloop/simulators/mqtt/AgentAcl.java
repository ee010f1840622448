package io.labloop.simulators.mqtt;

import java.util.ArrayList;
import java.util.List;

/**
 * The agents' topic rules of the site's Mosquitto access list, {@code config/mosquitto/acl}, for
 * the embedded broker ({@link EmbeddedBroker} with {@code broker-acl: agents}). Keep the two the
 * same: {@link #ACL_LINES} are that file's rule lines, word for word ({@code AgentAclTest} compares
 * them), and {@link #rules(String)} reads them the way Mosquitto does: every {@code pattern} line
 * for every user with {@code %u} replaced by the user name, and the {@code topic} lines after
 * {@code user NAME} for that user only.
 */
public final class AgentAcl {

  /** The daemons' user name (the lab file's {@code agents: username}). */
  public static final String DAEMON_USER = "labloop-daemon";

  /** The rule lines of {@code config/mosquitto/acl}, in its order, comments left out. */
  public static final List<String> ACL_LINES =
      List.of(
          "pattern write labloop/agents/%u/status",
          "pattern write labloop/agents/%u/heartbeat",
          "pattern read labloop/agents/%u/request",
          "pattern write labloop/agents/%u/reply/+",
          "user " + DAEMON_USER,
          "topic read labloop/agents/+/status",
          "topic read labloop/agents/+/heartbeat",
          "topic read labloop/agents/+/reply/#",
          "topic write labloop/agents/+/request");

  /** What a rule lets its user do on the topics its filter matches. */
  public enum Access {
    READ,
    WRITE,
    READWRITE
  }

  /** One rule: {@code access} on the topics matching {@code filter}. */
  public record Rule(Access access, String filter) {}

  private AgentAcl() {}

  /**
   * The rules for {@code user}. A user name holding an MQTT wildcard or a slash gets no rules at
   * all (it would widen its {@code %u} patterns to other agents' topics).
   */
  public static List<Rule> rules(String user) {
    List<Rule> rules = new ArrayList<>();
    boolean safe = !(user.contains("+") || user.contains("#") || user.contains("/"));
    String section = null;
    for (String line : ACL_LINES) {
      String[] w = line.split(" ", 3);
      switch (w[0]) {
        case "user" -> section = w[1];
        case "pattern" -> {
          if (safe) {
            rules.add(new Rule(access(w[1]), w[2].replace("%u", user)));
          }
        }
        case "topic" -> {
          if (user.equals(section)) {
            rules.add(new Rule(access(w[1]), w[2]));
          }
        }
        default -> throw new IllegalStateException("unknown ACL line " + line);
      }
    }
    return rules;
  }

  /** Whether {@code user} may publish to ({@code write}) or receive from {@code topic}. */
  public static boolean allows(String user, String topic, boolean write) {
    for (Rule r : rules(user)) {
      boolean kind =
          r.access() == Access.READWRITE || r.access() == (write ? Access.WRITE : Access.READ);
      if (kind && matches(r.filter(), topic)) {
        return true;
      }
    }
    return false;
  }

  /** MQTT topic filter matching ({@code +} one level, {@code #} the rest). */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  private static Access access(String word) {
    return switch (word) {
      case "read" -> Access.READ;
      case "write" -> Access.WRITE;
      case "readwrite" -> Access.READWRITE;
      default -> throw new IllegalStateException("unknown access " + word);
    };
  }
}
