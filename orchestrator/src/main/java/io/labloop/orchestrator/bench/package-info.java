/**
 * Benchmarks run as programs by {@code labloop bench ...}: each measures one part of LabLoop on
 * this machine and prints a table for {@code docs/benchmarks.md}. Never timed unit tests. One
 * sub-package per benchmark: {@link io.labloop.orchestrator.bench.planners} (regret and time per
 * suggestion), {@link io.labloop.orchestrator.bench.drivers} (what a driver adds to a round trip),
 * {@link io.labloop.orchestrator.bench.loop} (the orchestrator's own cost and instrument
 * utilisation), {@link io.labloop.orchestrator.bench.api} (whether API readers slow the lab) and
 * {@link io.labloop.orchestrator.bench.hostile} (the daemon under hostile input). Built-in lab and
 * campaign files sit beside each in the resources, with {@code {{NAME}}} placeholders filled by
 * {@link io.labloop.orchestrator.config.BuiltInFiles}.
 */
@NullMarked
package io.labloop.orchestrator.bench;

import org.jspecify.annotations.NullMarked;
