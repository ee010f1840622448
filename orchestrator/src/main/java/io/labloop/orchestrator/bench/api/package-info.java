/**
 * {@code labloop bench api}: whether clients polling the daemon's API slow a campaign down, and the
 * readers' latency percentiles; its lab and campaign files are built-in resources beside it.
 */
@NullMarked
package io.labloop.orchestrator.bench.api;

import org.jspecify.annotations.NullMarked;
