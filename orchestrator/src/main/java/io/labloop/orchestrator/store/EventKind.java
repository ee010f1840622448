package io.labloop.orchestrator.store;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an event is about. The name a person and a client see ({@link #label()}, e.g. {@code
 * interlock-hold}) is what the store keeps, the API's {@code kind} field and the event stream's
 * event name; code compares the enum, never the text.
 *
 * <p>The first group is stored with a run's events by the engine; the second is the daemon's:
 * {@link #AUDIT} is stored with the run it changed, the others are lab-wide and only published on
 * the event stream.
 */
public enum EventKind {
  // ---- a run's life
  RUN_STARTED("run-started"),
  RUN_RESUMED("run-resumed"),
  PAUSED("paused"),
  RESUMED("resumed"),
  STOPPING("stopping"),
  SHUTDOWN("shutdown"),
  RUN_ENDED("run-ended"),
  ABORT("abort"),
  ABORT_SENT("abort-sent"),
  ABORT_FAILED("abort-failed"),
  PLANNER_FAILED("planner-failed"),
  // ---- an experiment's steps
  APPROVAL_NEEDED("approval-needed"),
  APPROVED("approved"),
  REJECTED("rejected"),
  /** A researcher's own conditions were planned ({@code labloop suggest}). */
  HAND_CHOSEN("hand-chosen"),
  INTERLOCK_HOLD("interlock-hold"),
  INTERLOCK_CLEARED("interlock-cleared"),
  LIMIT("limit"),
  STEP_FAILED("step-failed"),
  STEP_TIMEOUT("step-timeout"),
  WATCHDOG("watchdog"),
  RETRY("retry"),
  RETRY_SKIPPED("retry-skipped"),
  RESEND("resend"),
  INTERRUPTED("interrupted"),
  HELD("held"),
  RELEASED("released"),
  IMPORTED("imported"),
  // ---- the daemon's
  AUDIT("audit"),
  /** A daemon took a run over from one that stopped driving it (see RunOwnership). */
  TAKEOVER("takeover"),
  EXPERIMENT("experiment"),
  INSTRUMENT_OFFLINE("instrument-offline"),
  INSTRUMENT_ONLINE("instrument-online"),
  /** An instrument agent went offline or silent: its instruments are OFFLINE (BRIDGE_DOWN). */
  AGENT_OFFLINE("agent-offline"),
  /** An instrument agent that was offline is back. */
  AGENT_ONLINE("agent-online"),
  HEALTH("health"),
  CALIBRATION("calibration");

  private static final Map<String, EventKind> BY_LABEL =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(EventKind::label, Function.identity()));

  private final String label;

  EventKind(String label) {
    this.label = label;
  }

  /** The name in the store, the API and the event stream, e.g. {@code interlock-hold}. */
  public String label() {
    return label;
  }

  /** The kind whose {@link #label()} is {@code label}. */
  public static EventKind of(String label) {
    EventKind k = BY_LABEL.get(label);
    if (k == null) throw new IllegalArgumentException("unknown event kind '" + label + "'");
    return k;
  }

  @Override
  public String toString() {
    return label;
  }
}
