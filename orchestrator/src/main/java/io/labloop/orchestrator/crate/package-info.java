/**
 * A campaign run as a Workflow Run RO-Crate, and back.
 *
 * <p>{@link io.labloop.orchestrator.crate.CampaignCrate} writes a run out of the store as an
 * RO-Crate 1.1 that conforms to the Workflow Run Crate and Process Run Crate profiles (0.5) and
 * Workflow RO-Crate 1.0: the campaign file is the workflow (the crate's main entity), every
 * experiment one run of it, every step attempt one process run on an instrument's command, with the
 * planner's decision, the approval, the observations (CSV with units, and JSON-LD) and every raw
 * attachment by SHA-256. {@link io.labloop.orchestrator.crate.CrateImport} reads such a crate (a
 * folder or a zip) back into a store, as a run that {@code labloop run} resumes with the crate's
 * observations (a warm start). {@link io.labloop.orchestrator.crate.CrateFiles} is where the bytes
 * go: a folder or a zip.
 */
@NullMarked
package io.labloop.orchestrator.crate;

import org.jspecify.annotations.NullMarked;
