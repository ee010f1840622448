package io.labloop.orchestrator.api;

/**
 * One instrument of the lab the daemon runs.
 *
 * @param name its name in the lab file
 * @param driver opcua, serial, mqtt or a plug-in's type
 * @param status ONLINE, OFFLINE or ERROR
 * @param reasonKind what kind of cause made it OFFLINE or ERROR: COMMUNICATION, CONFIGURATION,
 *     UNTRUSTED_CERTIFICATE, BRIDGE_DOWN or GONE (see {@link
 *     io.labloop.drivers.InstrumentStatus.ReasonKind}); null when ONLINE
 * @param reason why it is in that state (empty when ONLINE)
 * @param lastError the last error seen, kept after recovery (empty if none)
 * @param since ISO-8601 time it entered the state
 * @param busy commands running on it now
 * @param queued steps waiting for it
 * @param agent the agent (instrument PC) that drives it, null for an instrument on the daemon's PC
 */
public record InstrumentView(
    String name,
    String driver,
    String status,
    String reasonKind,
    String reason,
    String lastError,
    String since,
    int busy,
    int queued,
    String agent) {}
