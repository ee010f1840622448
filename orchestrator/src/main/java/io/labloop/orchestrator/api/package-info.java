/**
 * The daemon's REST API: routes, bearer-token authentication, request limits, RFC 9457 problem
 * responses, the server-sent event stream and the OpenAPI description.
 *
 * <p>The API knows the engine only through {@link io.labloop.orchestrator.api.CampaignService} and
 * the lab reload through {@link io.labloop.orchestrator.api.LabReload}; the daemon package adapts
 * the real engine to them. Every change (POST) needs a token and is passed on with the token's name
 * as the {@link io.labloop.orchestrator.api.Actor}, which the engine writes to the audit trail.
 * Reads are open to loopback clients only; anyone else needs a token for them too.
 *
 * <p>{@link io.labloop.orchestrator.api.ApiServer} holds the routes; its package-private helpers
 * each keep one thing: {@code RequestGate} (the token check and the body read before every route),
 * {@code RequestBody} (media type and size limits), {@code RequestArguments} (the routes' JSON
 * arguments), {@code EventStream} (server-sent events) and {@code ProblemResponse} / {@code
 * ProblemErrorHandler} (RFC 9457 problems).
 */
@NullMarked
package io.labloop.orchestrator.api;

import org.jspecify.annotations.NullMarked;
