/**
 * Instruments on other PCs, offered over an MQTT 5 broker by {@code labloop agent}.
 *
 * <p>On the instrument PC, {@link io.labloop.orchestrator.agent.InstrumentAgent} opens the
 * instruments of the lab file marked {@code agent: NAME} with the ordinary drivers and answers
 * requests for them; its {@link io.labloop.orchestrator.agent.AgentJournal} makes a non-idempotent
 * command reach the instrument at most once per journal key. On the daemon's PC, {@link
 * io.labloop.orchestrator.agent.RemoteInstrument} is the {@link io.labloop.drivers.Instrument} the
 * lab sees for such an instrument: it forwards each command through the {@link
 * io.labloop.orchestrator.agent.AgentLink} (one MQTT client per broker), which also follows every
 * agent's retained status, Last Will and heartbeat. The topic layout is {@link
 * io.labloop.orchestrator.agent.AgentTopics}; the daemon-side checks (limits, interlocks, leases)
 * stay in the campaign engine and the lab, as for a local instrument.
 */
@NullMarked
package io.labloop.orchestrator.agent;

import org.jspecify.annotations.NullMarked;
