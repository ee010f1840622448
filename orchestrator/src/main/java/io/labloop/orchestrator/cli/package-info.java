/**
 * The {@code labloop} command: one picocli subcommand class per verb, assembled in {@link
 * io.labloop.orchestrator.cli.Main}. Exit codes: 0 ok, 1 campaign or run failure, 2 bad input or
 * usage. Problems a user caused print one line; stack traces go to the log.
 */
@NullMarked
package io.labloop.orchestrator.cli;

import org.jspecify.annotations.NullMarked;
