/**
 * {@code labloop bench loop}: the orchestrator's own time per step, experiments per second and how
 * well the engine keeps instruments busy (makespan), on the virtual lab; its lab and campaign files
 * are built-in resources beside it.
 */
@NullMarked
package io.labloop.orchestrator.bench.loop;

import org.jspecify.annotations.NullMarked;
