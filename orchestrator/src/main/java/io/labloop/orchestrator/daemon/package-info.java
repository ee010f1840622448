/**
 * {@code labloop daemon}: the one place that assembles the long-running service from
 * constructors (store, lab, engines, API, scheduler, metrics), its settings file
 * ({@code labloop.yaml}), its token file, the resume of running campaigns at start, hot reload
 * of the lab file (SIGHUP or {@code labloop reload}) and a graceful stop on SIGTERM.
 * {@link io.labloop.orchestrator.daemon.EngineCampaignService} adapts the campaign engine
 * (one {@link io.labloop.orchestrator.campaign.CampaignEngine} per running campaign, all on
 * one shared lab and store) to the API's {@link io.labloop.orchestrator.api.CampaignService}.
 */
package io.labloop.orchestrator.daemon;
