/**
 * {@code labloop bench hostile}: the daemon under every hostile input of issue 14 at once (bad
 * names, costly constraints, deep YAML, a FIFO lab file, 50 MB bodies, bad ids and tokens), with a
 * normal request's latency measured meanwhile and the time SIGTERM takes to stop it. It runs on the
 * API benchmark's lab and campaign files.
 */
@NullMarked
package io.labloop.orchestrator.bench.hostile;

import org.jspecify.annotations.NullMarked;
