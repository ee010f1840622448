/**
 * {@code labloop bench hostile}: whether hostile or runaway clients of the API (oversized,
 * slow or malformed requests) slow down the work of a lab that is running.
 */
@NullMarked
package io.labloop.orchestrator.bench.hostile;

import org.jspecify.annotations.NullMarked;
