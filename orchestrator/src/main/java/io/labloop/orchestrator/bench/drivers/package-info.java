/**
 * {@code labloop bench drivers}: what each protocol driver adds to one command's round trip,
 * against the virtual lab, compared with the bare protocol library doing the same call.
 */
@NullMarked
package io.labloop.orchestrator.bench.drivers;

import org.jspecify.annotations.NullMarked;
