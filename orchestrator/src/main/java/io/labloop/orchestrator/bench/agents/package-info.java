/**
 * {@code labloop bench agents}: what an instrument agent adds to a command's round trip, and how a
 * simulated site of many agents keeps its instruments busy and what it costs the daemon; its lab
 * file is a built-in resource beside it.
 */
@NullMarked
package io.labloop.orchestrator.bench.agents;

import org.jspecify.annotations.NullMarked;
