/**
 * The campaign engine: the closed loop of DESIGN.md. A {@link
 * io.labloop.orchestrator.campaign.CampaignEngine} asks the planner for points, runs each as an
 * experiment through the workflow on the {@link io.labloop.orchestrator.lab.Lab}'s leased
 * instruments, turns outputs into objective values and feeds them back, until a stop rule ends the
 * run.
 *
 * <p>Safety lives here: limits are checked before every command (a violation fails the experiment
 * and sends nothing), interlocks hold a step until the instrument variables they name have the
 * required values, and a watchdog fails a step that outlives its timeout and marks the instrument
 * in error. Every transition is committed to the {@link io.labloop.orchestrator.store.Store} before
 * the next command is sent, which is what makes crash-resume exact. An experiment whose
 * non-idempotent step was in flight at a crash may be HELD ({@code on-interrupt: hold}) until a
 * person settles it with a {@link io.labloop.orchestrator.campaign.Release} (retry, fail, or values
 * measured by hand).
 *
 * <p>The engine coordinates package-private parts, one concept each: {@code RunState} (the run's
 * state on the engine thread), {@code EngineCoordinator} (the engine as its parts see it), {@code
 * StepRunner} (one experiment's workflow, step by step, and the abort commands), {@code Planning}
 * (asking the planner, recording its suggestions), {@code StopRules} (when to stop, the best so
 * far), {@code Recovery} (resuming from the store), {@code PersonDecisions} (approvals, rejections
 * and releases of held experiments), {@code Reporting} (events, progress and listeners) and {@code
 * EngineThreads} (which thread owns what). {@link io.labloop.orchestrator.campaign.EngineBuilder}
 * assembles an engine; a test gives it a fake clock and timers.
 */
@NullMarked
package io.labloop.orchestrator.campaign;

import org.jspecify.annotations.NullMarked;
