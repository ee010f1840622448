package io.labloop.orchestrator.api;

/**
 * One instrument of the lab the daemon runs.
 *
 * @param name its name in the lab file
 * @param driver opcua, serial, mqtt or a plug-in's type
 * @param status ONLINE, OFFLINE or ERROR
 * @param reason why it is in that state (empty when ONLINE)
 * @param lastError the last error seen, kept after recovery (empty if none)
 * @param since ISO-8601 time it entered the state
 * @param busy commands running on it now
 * @param queued steps waiting for it
 */
public record InstrumentView(
    String name, String driver, String status, String reason, String lastError, String since, int busy, int queued) {}
