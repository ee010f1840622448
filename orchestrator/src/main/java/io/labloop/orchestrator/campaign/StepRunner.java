package io.labloop.orchestrator.campaign;

import io.labloop.drivers.Command;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CommandConfig;
import io.labloop.orchestrator.config.InstrumentConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Holding;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.Lease;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Point;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one experiment's workflow, step by step: lease the step's instrument, resolve its arguments
 * (parameters, literals, earlier outputs), check the instrument's limits (a violation fails the
 * experiment and sends nothing), hold the step while an interlock is unmet, journal it STARTED,
 * send the command with a watchdog armed, journal the reply DONE (or FAILED with its cause) and go
 * on; after the last step, turn the outputs into objective values and achieved conditions.
 *
 * <p>Separate from {@link CampaignEngine} because this is everything that happens between "this
 * experiment may go on" and "it ended", one experiment at a time, while the engine decides across
 * experiments (when to plan, when to stop) and owns the run's state and threads. Every method runs
 * on the engine thread: replies, leases, interlock reads and timers come back through {@link
 * Coordinator#later} and {@link Coordinator#after}; only the driver calls themselves run on the
 * call pool the engine gives it.
 */
final class StepRunner {

  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  private final CampaignConfig campaign;
  private final Lab lab;
  private final Store store;
  private final Clock clock;
  private final Duration interlockPoll;

  /** Who leases the instruments: the campaign, so that leases are fair across campaigns. */
  private final String holder;

  /**
   * Driver calls are made here, never on the engine thread: a driver that blocks must not stop the
   * loop.
   */
  private final ExecutorService calls;

  private final Coordinator loop;

  /**
   * Applies the campaign's {@code on-interrupt} when an agent answers that a step was cut short.
   */
  private final Recovery recovery;

  StepRunner(
      CampaignConfig campaign,
      Lab lab,
      Store store,
      Clock clock,
      Duration interlockPoll,
      ExecutorService calls,
      Coordinator loop,
      Recovery recovery) {
    this.campaign = campaign;
    this.lab = lab;
    this.store = store;
    this.clock = clock;
    this.interlockPoll = interlockPoll;
    this.holder = campaign.name();
    this.calls = calls;
    this.loop = loop;
    this.recovery = recovery;
  }

  /**
   * Takes the experiment's next step, or completes it after its last; does nothing while a step is
   * under way.
   */
  void advance(LiveExperiment e) {
    if (e.busy
        || e.status.finished()
        || e.status == ExperimentStatus.AWAITING_APPROVAL
        || !loop.mayStartSteps()) return;
    if (e.stepIndex >= campaign.workflow().size()) {
      complete(e);
      return;
    }
    WorkflowStep step = campaign.workflow().get(e.stepIndex);
    e.busy = true;
    CompletableFuture<Lease> lease =
        lab.lease(step.instrument(), holder, new Holding.Purpose(loop.runId(), e.seq, step.id()));
    e.waitingLease = lease;
    lease.whenComplete(
        (l, t) -> {
          if (l == null) return; // cancelled: the experiment stopped waiting
          if (!loop.later(() -> leased(e, step, l))) l.release();
        });
  }

  private void leased(LiveExperiment e, WorkflowStep step, Lease lease) {
    e.waitingLease = null;
    if (e.status.finished() || !loop.mayStartSteps()) {
      lease.release();
      e.busy = false;
      return;
    }
    e.lease = lease;
    InstrumentConfig instrument = lab.instrumentConfig(step.instrument());
    Map<String, Object> args = new LinkedHashMap<>();
    for (Map.Entry<String, WorkflowStep.Arg> a : step.args().entrySet()) {
      Object v = resolve(e, a.getValue());
      if (v == null) {
        refuse(
            e,
            step,
            args,
            "bad-reply",
            "no value for argument " + a.getKey() + " (" + describe(a.getValue()) + ")",
            false);
        return;
      }
      args.put(a.getKey(), v);
    }
    CommandConfig command = instrument.commands().get(step.command());
    if (e.rejoin > 0) {
      // asked again after a restart: the limits and interlocks held when it was first sent
      send(e, step, command, args);
      return;
    }
    Optional<String> violation = Safety.limitViolation(instrument, args);
    if (violation.isPresent()) {
      loop.event(
          EventKind.LIMIT,
          Severity.WARNING,
          step.instrument(),
          e.seq,
          "experiment #" + e.seq + ": " + violation.get() + "; nothing sent");
      refuse(e, step, args, "limit", violation.get(), true);
      return;
    }
    if (command.requires().isEmpty()) {
      send(e, step, command, args);
    } else {
      checkInterlocks(e, step, command, args);
    }
  }

  private Object resolve(LiveExperiment e, WorkflowStep.Arg arg) {
    if (arg instanceof WorkflowStep.Arg.Literal l) return l.value();
    if (arg instanceof WorkflowStep.Arg.ParameterRef p)
      return e.requested.values().get(p.parameter());
    if (arg instanceof WorkflowStep.Arg.OutputArg o) {
      return e.outputs.getOrDefault(o.ref().step(), Map.of()).get(o.ref().output());
    }
    return null;
  }

  private static String describe(WorkflowStep.Arg arg) {
    if (arg instanceof WorkflowStep.Arg.ParameterRef p) return "$" + p.parameter();
    if (arg instanceof WorkflowStep.Arg.OutputArg o) return "$" + o.ref();
    return String.valueOf(arg);
  }

  /** Reads every interlock variable; sends when all hold, else holds the step and tries again. */
  private void checkInterlocks(
      LiveExperiment e, WorkflowStep step, CommandConfig command, Map<String, Object> args) {
    Map<String, CompletableFuture<Object>> reads = new LinkedHashMap<>();
    for (String key : command.requires().keySet()) {
      int dot = key.indexOf('.');
      String instrument = dot < 0 ? step.instrument() : key.substring(0, dot);
      String variable = dot < 0 ? key : key.substring(dot + 1);
      reads.put(
          key,
          call(() -> lab.instrument(instrument).read(variable)).orTimeout(5, TimeUnit.SECONDS));
    }
    CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, t) ->
                loop.later(
                    () -> {
                      List<String> unmet = new ArrayList<>();
                      reads.forEach(
                          (key, f) -> {
                            Object required = command.requires().get(key);
                            try {
                              Object actual = f.join();
                              if (!Safety.satisfies(actual, required))
                                unmet.add(key + " must be " + required + ", is " + actual);
                            } catch (RuntimeException ex) {
                              unmet.add(
                                  key
                                      + " must be "
                                      + required
                                      + ", cannot be read ("
                                      + rootMessage(ex)
                                      + ")");
                            }
                          });
                      interlocksRead(e, step, command, args, unmet);
                    }));
  }

  private void interlocksRead(
      LiveExperiment e,
      WorkflowStep step,
      CommandConfig command,
      Map<String, Object> args,
      List<String> unmet) {
    if (e.status.finished() || loop.ending()) {
      e.releaseLease();
      e.busy = false;
      return;
    }
    String where = step.instrument() + "." + step.command();
    if (unmet.isEmpty()) {
      if (e.holdSince != null) {
        long held = Duration.between(e.holdSince, clock.instant()).toMillis();
        loop.event(
            EventKind.INTERLOCK_CLEARED,
            Severity.INFO,
            step.instrument(),
            e.seq,
            "experiment #"
                + e.seq
                + ": interlock of "
                + where
                + " met after "
                + held
                + " ms; sending");
        // the experiment carries the hold: a person reading its row sees why it took longer
        e.cause = "interlock: " + where + " held " + held + " ms (" + e.holdNote + ")";
        e.holdSince = null;
      }
      send(e, step, command, args);
      return;
    }
    String what = String.join("; ", unmet);
    Instant now = clock.instant();
    if (e.holdSince == null) {
      e.holdSince = now;
      e.holdNote = what;
      loop.event(
          EventKind.INTERLOCK_HOLD,
          Severity.WARNING,
          step.instrument(),
          e.seq,
          "experiment #" + e.seq + ": " + where + " held: " + what);
    }
    if (Duration.between(e.holdSince, now).compareTo(command.timeout()) >= 0) {
      refuse(
          e,
          step,
          args,
          "interlock",
          where
              + " held longer than its timeout ("
              + command.timeout().toSeconds()
              + " s): "
              + what,
          false);
      return;
    }
    // free the instrument while waiting: whatever clears the interlock may need it
    e.releaseLease();
    loop.after(
        interlockPoll,
        () -> {
          e.busy = false;
          advance(e);
        });
  }

  /** Fails the step before anything was sent: journaled as FAILED with no STARTED. */
  private void refuse(
      LiveExperiment e,
      WorkflowStep step,
      Map<String, Object> args,
      String kind,
      String message,
      boolean learned) {
    int attempt = e.attempts.merge(e.stepIndex, 1, Integer::sum);
    Instant now = clock.instant();
    store.stepRefused(
        new StepRecord(
            loop.runId(),
            e.seq,
            e.stepIndex,
            attempt,
            step.id(),
            step.instrument(),
            step.command(),
            args,
            StepStatus.FAILED,
            StepRecord.idempotencyKey(loop.runId(), e.seq, step.id()),
            now,
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.of(kind),
            Optional.of(message)));
    e.releaseLease();
    loop.finish(e, ExperimentStatus.FAILED, kind + ": " + message, learned);
    loop.tick();
  }

  private void send(
      LiveExperiment e, WorkflowStep step, CommandConfig command, Map<String, Object> args) {
    boolean rejoin = e.rejoin > 0;
    int attempt = rejoin ? e.rejoin : e.attempts.merge(e.stepIndex, 1, Integer::sum);
    e.rejoin = 0;
    StepRecord record =
        new StepRecord(
            loop.runId(),
            e.seq,
            e.stepIndex,
            attempt,
            step.id(),
            step.instrument(),
            step.command(),
            args,
            StepStatus.STARTED,
            StepRecord.idempotencyKey(loop.runId(), e.seq, step.id()),
            clock.instant(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Optional.empty());
    // write before act: after a crash this row says "maybe sent" (a rejoin's row is still there)
    if (!rejoin) store.stepStarted(record);
    boolean first = !e.reached;
    e.reached = true;
    e.status = ExperimentStatus.RUNNING;
    if (first) loop.notifyExperiment(e);
    e.inFlight = attempt;
    int index = e.stepIndex;
    Duration limit = watchdogLimit(command);
    e.watchdog = loop.after(limit, () -> watchdog(e, step, index, attempt, command.timeout()));
    Command sent =
        new Command(
            step.command(),
            args,
            Optional.of(new Command.Journal(record.idempotencyKey(), attempt)));
    call(() -> lab.send(step.instrument(), sent, loop.runId() + " #" + e.seq + " " + step.id()))
        .whenComplete((r, t) -> loop.later(() -> replied(e, step, index, attempt, r, t)));
  }

  /**
   * Calls a driver on the call pool; a driver that throws instead of failing its future is treated
   * the same.
   */
  /**
   * Sends the {@code abort} command to every instrument of the workflow that has one, with an event
   * for each answer; completes when all have answered or given up (10 s each).
   */
  CompletableFuture<Void> sendAborts() {
    Set<String> used = new LinkedHashSet<>();
    campaign.workflow().forEach(s -> used.add(s.instrument()));
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (String instrument : used) {
      Optional<String> command = lab.abortCommand(instrument);
      if (command.isEmpty()) continue;
      CompletableFuture<Reply> f =
          call(() -> lab.send(instrument, Command.of(command.get()), "abort " + loop.runId()));
      sent.add(
          f.orTimeout(10, TimeUnit.SECONDS)
              .handle(
                  (r, t) -> {
                    loop.later(
                        () ->
                            loop.event(
                                t == null ? EventKind.ABORT_SENT : EventKind.ABORT_FAILED,
                                t == null ? Severity.INFO : Severity.ALERT,
                                instrument,
                                null,
                                instrument
                                    + "."
                                    + command.get()
                                    + (t == null
                                        ? " acknowledged"
                                        : " failed: " + rootMessage(t))));
                    return null;
                  }));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> driverCall) {
    try {
      return CompletableFuture.supplyAsync(driverCall, calls).thenCompose(f -> f);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the run has ended"));
    }
  }

  /**
   * The driver enforces the command's timeout itself; the watchdog is the backstop for a driver
   * that does not. The drivers re-send an idempotent command after a timeout (twice, after 0.5 s
   * then 1 s), so for those the watchdog allows three timeouts and the pauses; then a grace of a
   * tenth of the timeout, at least one second, so the driver's own error wins the race.
   */
  static Duration watchdogLimit(CommandConfig command) {
    Duration timeout = command.timeout();
    Duration work = command.idempotent() ? timeout.multipliedBy(3).plusMillis(1500) : timeout;
    Duration tenth = timeout.dividedBy(10);
    return work.plus(tenth.compareTo(Duration.ofSeconds(1)) > 0 ? tenth : Duration.ofSeconds(1));
  }

  private void replied(
      LiveExperiment e, WorkflowStep step, int index, int attempt, Reply reply, Throwable error) {
    if (e.inFlight != attempt || e.stepIndex != index || e.status.finished()) {
      log.info(
          "late reply from {}.{} for experiment #{} ignored (the step had already ended)",
          step.instrument(),
          step.command(),
          e.seq);
      return;
    }
    e.inFlight = 0;
    if (e.watchdog != null) e.watchdog.cancel();
    if (error == null) {
      List<Store.NewAttachment> files =
          reply.attachments().stream()
              .map(a -> new Store.NewAttachment(a.name(), a.mediaType(), a.data()))
              .toList();
      store.stepDone(loop.runId(), e.seq, index, attempt, reply.outputs(), files);
      lab.clearError(step.instrument());
      e.releaseLease();
      e.outputs.put(step.id(), reply.outputs());
      e.stepIndex++;
      e.busy = false;
      advance(e);
    } else {
      Optional<InstrumentError> ie = Lab.instrumentError(error);
      String kind = ie.map(InstrumentError::kind).orElse("error");
      String message = ie.map(Throwable::getMessage).orElseGet(() -> rootMessage(error));
      if (ie.isPresent() && ie.get() instanceof InstrumentError.Interrupted) {
        // An agent restarted with the command in flight: maybe done, so never sent again here.
        store.stepEnded(
            loop.runId(), e.seq, index, attempt, StepStatus.INTERRUPTED, "interrupted", message);
        e.releaseLease();
        recovery.interrupted(e, message);
        loop.tick();
        return;
      }
      store.stepEnded(loop.runId(), e.seq, index, attempt, StepStatus.FAILED, kind, message);
      e.releaseLease();
      if (ie.isPresent() && ie.get() instanceof InstrumentError.Timeout) {
        lab.markError(step.instrument(), message);
        loop.event(
            EventKind.STEP_TIMEOUT,
            Severity.ALERT,
            step.instrument(),
            e.seq,
            "experiment #" + e.seq + ": " + message);
      } else {
        loop.event(
            EventKind.STEP_FAILED,
            Severity.WARNING,
            step.instrument(),
            e.seq,
            "experiment #" + e.seq + ": " + kind + ": " + message);
      }
      boolean learned = ie.isPresent() && ie.get() instanceof InstrumentError.Refused;
      loop.finish(e, ExperimentStatus.FAILED, kind + ": " + message, learned);
    }
    loop.tick();
  }

  private void watchdog(
      LiveExperiment e, WorkflowStep step, int index, int attempt, Duration timeout) {
    if (e.inFlight != attempt || e.stepIndex != index || e.status.finished()) return;
    e.inFlight = 0;
    String message =
        step.instrument()
            + "."
            + step.command()
            + ": no reply within its timeout of "
            + timeout.toMillis()
            + " ms";
    store.stepEnded(loop.runId(), e.seq, index, attempt, StepStatus.FAILED, "watchdog", message);
    lab.markError(step.instrument(), message);
    loop.event(
        EventKind.WATCHDOG,
        Severity.ALERT,
        step.instrument(),
        e.seq,
        "experiment #" + e.seq + ": " + message + "; instrument marked in error");
    e.releaseLease();
    loop.finish(e, ExperimentStatus.FAILED, "watchdog: " + message, false);
    loop.tick();
  }

  /**
   * Every step done: objective values from the outputs the campaign names, achieved conditions
   * where it maps them.
   */
  private void complete(LiveExperiment e) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (CampaignConfig.ObjectiveSource source : campaign.objectives()) {
      Object v = e.outputs.getOrDefault(source.from().step(), Map.of()).get(source.from().output());
      Double d = number(v);
      if (d == null) {
        loop.finish(
            e,
            ExperimentStatus.FAILED,
            "bad-reply: output "
                + source.from()
                + " is "
                + (v == null ? "missing" : "not a number: " + v),
            false);
        return;
      }
      values.put(source.objective().name(), d);
    }
    Map<String, Object> achieved = new LinkedHashMap<>(e.requested.values());
    campaign
        .achieved()
        .forEach(
            (parameter, ref) -> {
              Object v = e.outputs.getOrDefault(ref.step(), Map.of()).get(ref.output());
              if (v == null) return;
              Double d = number(v);
              achieved.put(parameter, d != null ? d : v);
            });
    loop.done(e, new Point(achieved), values);
  }

  private static Double number(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException ignored) {
        return null;
      }
    }
    return null;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
