/**
 * Benchmarks run as programs by {@code labloop bench ...}: each measures one part of LabLoop
 * on this machine and prints a table for {@code docs/}. Never timed unit tests.
 */
package io.labloop.orchestrator.bench;
