package io.labloop.orchestrator.api;

/**
 * Who asked for a change: the name of the token the request carried. It goes into the audit trail;
 * the token itself never leaves {@link Tokens}.
 */
public record Actor(String name) {
  public Actor {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("an actor needs a name");
  }

  /** Work the daemon does on its own (a scheduled start, a health check). */
  public static final Actor SCHEDULER = new Actor("scheduler");
}
