/**
 * Lab and campaign files: reading YAML with positions, filling {@code ${NAME}} from the
 * environment, checking everything a researcher can get wrong, and producing typed, immutable
 * records ({@link io.labloop.orchestrator.config.LabConfig}, {@link
 * io.labloop.orchestrator.config.CampaignConfig}). Every problem is reported as {@code
 * FILE:LINE:COLUMN: error: what is wrong (expected ...)}, and all of them are reported, not only
 * the first.
 *
 * <p>The entry point is {@link io.labloop.orchestrator.config.ConfigLoader}: {@code loadLab},
 * {@code loadCampaign} (from a file, or from text sent to the daemon) throw a {@link
 * io.labloop.orchestrator.config.ConfigException} carrying every {@link
 * io.labloop.orchestrator.config.ConfigProblem}; {@code validate} returns them. Reading goes in
 * stages: bytes (size, binary content) to a position-keeping tree ({@code YamlText}, SnakeYAML
 * Engine's node API), then the lab ({@code LabReader}, which asks each driver and the virtual lab
 * to check their own keys) and the campaign ({@code CampaignReader}: objectives, planner, budget,
 * rules and limits; {@code SpaceReader}: parameters, constraints by sampling, candidate pools;
 * {@code WorkflowReader}: the steps and their references).
 *
 * <p>{@link io.labloop.orchestrator.config.BuiltInFiles} writes the lab and campaign files that
 * ship in the jar (the demo's, the loop benchmark's) out as ordinary files the user can edit.
 */
@NullMarked
package io.labloop.orchestrator.config;

import org.jspecify.annotations.NullMarked;
