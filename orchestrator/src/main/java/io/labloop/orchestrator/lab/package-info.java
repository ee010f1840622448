/**
 * The lab as the campaign engine sees it: connected {@link io.labloop.drivers.Instrument}s built
 * from a {@link io.labloop.orchestrator.config.LabConfig} through the drivers, each with a lease
 * queue (capacity per instrument, served fairly across the campaigns that share it) and a health
 * mark the engine sets when a step hangs or {@link io.labloop.orchestrator.lab.HealthChecks} sets
 * when an idle instrument's {@code health:} probe fails. A reload swaps an instrument's section
 * (and driver object) when its lease queue is idle, so running campaigns keep going. {@link
 * io.labloop.orchestrator.lab.VirtualLabs} starts the lab's virtual instruments in-process for
 * {@code --sim}.
 */
@NullMarked
package io.labloop.orchestrator.lab;

import org.jspecify.annotations.NullMarked;
