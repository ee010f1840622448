package io.labloop.orchestrator.api;

/**
 * Something worth telling a person: progress, a hold, an alert, or an audit record (who did what).
 * The same record is listed per campaign and pushed on the event stream.
 *
 * @param campaignId the run it belongs to, or null for lab-wide events (a reload, an instrument
 *     alert)
 * @param ordinal its position in the campaign's event list
 * @param at ISO-8601
 * @param kind an {@link io.labloop.orchestrator.store.EventKind#label()}: {@code interlock-hold},
 *     {@code audit} ...
 * @param severity a {@link io.labloop.orchestrator.store.Severity} name: INFO, WARNING or ALERT
 * @param actor the token name for an audit record (stored in its own column), else null
 * @param instrument the instrument concerned, or null
 * @param seq the experiment concerned, or null
 * @param message one line a person can read
 */
public record EventView(
    String campaignId,
    long ordinal,
    String at,
    String kind,
    String severity,
    String actor,
    String instrument,
    Integer seq,
    String message) {}
