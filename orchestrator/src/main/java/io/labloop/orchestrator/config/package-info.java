/**
 * Lab and campaign files: reading YAML with positions, filling {@code ${NAME}} from the
 * environment, checking everything a researcher can get wrong, and producing typed, immutable
 * records ({@link io.labloop.orchestrator.config.LabConfig},
 * {@link io.labloop.orchestrator.config.CampaignConfig}). Every problem is reported as
 * {@code FILE:LINE:COLUMN: error: ...}.
 */
package io.labloop.orchestrator.config;
