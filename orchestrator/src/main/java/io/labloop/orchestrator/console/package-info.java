/**
 * The lab console: the web page {@code labloop daemon} serves at {@code /}, and what it needs on
 * the server side.
 *
 * <p>{@link io.labloop.orchestrator.console.WebConsole} is the one thing the API server knows about
 * (an {@link io.labloop.orchestrator.api.ApiExtension}): it serves the page, its script and the
 * chart library (a WebJar in the jar, so the console works with no internet access), browser
 * sign-in ({@link io.labloop.orchestrator.console.ConsoleSessions}: an HttpOnly, SameSite=Strict
 * session cookie, a CSRF header on every change, refused tokens rate-limited), and the read routes
 * the page needs on top of the JSON API: one page of the experiment table, plots down-sampled on
 * the server ({@link io.labloop.orchestrator.console.CampaignData}, {@link
 * io.labloop.orchestrator.console.Downsampling}), one experiment's steps and planner decision, raw
 * attachments. Everything else (campaign list, pause, approvals, releases, instruments, the event
 * stream) the page takes from the JSON API as any client would.
 *
 * <p>The same figures feed {@code labloop report} ({@link io.labloop.orchestrator.report}): {@link
 * io.labloop.orchestrator.console.CampaignOutline} (what the campaign file says about parameters,
 * objectives and planner) and {@link io.labloop.orchestrator.console.Progression} (best so far,
 * Pareto front).
 */
@NullMarked
package io.labloop.orchestrator.console;

import org.jspecify.annotations.NullMarked;
