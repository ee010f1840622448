package io.labloop.simulators.faults;

/** What can go wrong with one command sent to a simulated instrument. */
public enum Fault {
  /** The connection drops while the command is handled; no answer comes. */
  DISCONNECT("disconnect-rate"),
  /** The instrument takes the command and never answers. */
  TIMEOUT("timeout-rate"),
  /** The instrument answers with bytes that follow no protocol rule it documents. */
  GARBAGE("garbage-rate"),
  /** The instrument answers with a protocol-level refusal ("busy", "interlock"). */
  REFUSE("refuse-rate"),
  /** The instrument restarts: the connection drops and its state (running operation) is lost. */
  RESTART("restart-rate");

  private final String key;

  Fault(String key) {
    this.key = key;
  }

  /** Its key in the lab file's {@code simulation.faults.<instrument>} block. */
  public String key() {
    return key;
  }
}
