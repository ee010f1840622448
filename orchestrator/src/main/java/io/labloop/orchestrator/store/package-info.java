/**
 * The store: everything a campaign did, durably, so that nothing measured is ever lost.
 *
 * <p>{@link io.labloop.orchestrator.store.Store} is one schema (Flyway migrations in {@code
 * db/migration}) over SQLite by default ({@code DATA/labloop.db}, WAL mode, synchronous FULL) or
 * PostgreSQL by JDBC URL. It keeps the campaign's exact YAML and hash, runs, experiments, the step
 * journal (PLANNED, STARTED, DONE, FAILED with times, instrument and idempotency key), observations
 * (requested and achieved), attachments (files named by their SHA-256 beside the database), planner
 * decisions and events.
 *
 * <p>Every method is one transaction that is committed when it returns: the engine calls it before
 * it sends the next command ("write before act").
 */
@NullMarked
package io.labloop.orchestrator.store;

import org.jspecify.annotations.NullMarked;
