/**
 * The HTTP client the {@code labloop submit|status|pause|resume|abort|approve|reload} commands use
 * to talk to a running daemon (java.net.http, JSON with Jackson). Where the daemon is and which
 * token to send come from flags, the environment ({@code LABLOOP_URL}, {@code LABLOOP_TOKEN}) or
 * the daemon's data folder ({@code url}, {@code token}).
 */
@NullMarked
package io.labloop.orchestrator.client;

import org.jspecify.annotations.NullMarked;
