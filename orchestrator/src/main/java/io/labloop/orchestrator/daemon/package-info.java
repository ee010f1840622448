/**
 * {@code labloop daemon}: the one place that assembles the long-running service from constructors
 * (store, lab, engines, API, scheduler, metrics), its settings file ({@code labloop.yaml}), its
 * token file, the resume of running campaigns at start, hot reload of the lab file (SIGHUP or
 * {@code labloop reload}) and a graceful stop on SIGTERM. {@link
 * io.labloop.orchestrator.daemon.EngineCampaignService} adapts the campaign engine (one {@link
 * io.labloop.orchestrator.campaign.CampaignEngine} per running campaign, all on one shared lab and
 * store) to the API's {@link io.labloop.orchestrator.api.CampaignService}; its package-private
 * helpers each keep one thing: {@code Submissions} (the submissions folder), {@code
 * RunningCampaigns} (one record per running run), {@code ApiViews} (records as the API shows them),
 * {@code AuditTrail} and {@code EventFeed} (who did what; the live event stream), {@code LabUpkeep}
 * (health checks and calibrations), {@code CampaignMetrics}, {@code ReloadChecks}, {@code
 * CampaignFiles} (campaign texts read against the daemon's lab file), {@code EngineStarts} (one
 * engine started with its run lock) and {@code HeldReleases} (a person's release of a held
 * experiment).
 */
@NullMarked
package io.labloop.orchestrator.daemon;

import org.jspecify.annotations.NullMarked;
