/**
 * What the three protocol drivers have in common and a plug-in driver may reuse: reading an
 * instrument's section with precise problems ({@link io.labloop.settings.Section}, from the {@code
 * settings} module that the orchestrator and the virtual lab read their files with too), {@code
 * {name}} templates ({@link io.labloop.drivers.support.Template}), regex replies with named groups
 * ({@link io.labloop.drivers.support.ReplyPattern}), conversion of reply text to typed values
 * ({@link io.labloop.drivers.support.Values}), durations such as {@code 30s} ({@link
 * io.labloop.settings.Durations}), and {@link io.labloop.drivers.support.CommandRunner}, which
 * gives every driver the same per-command timeout, retry with backoff for idempotent commands,
 * error mapping and status bookkeeping.
 *
 * <p>Keys every driver accepts and otherwise ignores (the orchestrator owns them): instrument level
 * {@code driver, limits, capacity, abort, description}; command level {@code timeout, idempotent,
 * outputs, requires, description}.
 */
@NullMarked
package io.labloop.drivers.support;

import org.jspecify.annotations.NullMarked;
