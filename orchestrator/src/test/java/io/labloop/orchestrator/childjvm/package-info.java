/**
 * Child JVMs of the integration tests: the {@code labloop} processes that tests kill, interrupt and
 * restart ({@code labloop run}, {@code labloop daemon}, {@code labloop sim}), started with this
 * JVM's class path and the options that make a short-lived JVM start fast.
 */
@NullMarked
package io.labloop.orchestrator.childjvm;

import org.jspecify.annotations.NullMarked;
