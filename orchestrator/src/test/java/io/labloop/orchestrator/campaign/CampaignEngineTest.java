package io.labloop.orchestrator.campaign;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.WorkflowStep;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.StepRecord;
import io.labloop.orchestrator.store.StepStatus;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.Point;
import io.labloop.planners.Suggestion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignEngineTest {

  @TempDir Path dir;
  Store store;
  final FakeLab fake = new FakeLab();

  @BeforeEach
  void openStore() {
    store = Store.open(StoreLocation.sqlite(dir));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private CampaignEngine engine(CampaignConfig campaign, Lab lab) {
    return CampaignEngine.builder()
        .campaign(campaign)
        .lab(lab)
        .store(store)
        .planner(FakeLab::uniform)
        .interlockPoll(Duration.ofMillis(20))
        .build();
  }

  /** An engine on a clock that stands still until the test moves it (see {@link FakeTime}). */
  private CampaignEngine engine(CampaignConfig campaign, Lab lab, FakeTime time) {
    return CampaignEngine.builder()
        .campaign(campaign)
        .lab(lab)
        .store(store)
        .planner(FakeLab::uniform)
        .interlockPoll(Duration.ofSeconds(5))
        .clock(time)
        .timers(time)
        .build();
  }

  private RunSummary run(CampaignConfig campaign) throws Exception {
    return engine(campaign, fake.lab()).start().get(30, TimeUnit.SECONDS);
  }

  @Test
  void runsTheBudgetAndLearnsFromWhatTheInstrumentAchieved() throws Exception {
    RunSummary s = run(fake.campaign());
    assertEquals(RunStatus.COMPLETED, s.status());
    assertEquals(6, s.experiments().size());
    assertTrue(s.experiments().stream().allMatch(e -> e.status() == ExperimentStatus.DONE));
    for (ExperimentRecord e : s.experiments()) {
      double requested = e.requested().number("temperature");
      assertEquals(
          requested - 0.5,
          e.achieved().orElseThrow().number("temperature"),
          1e-9,
          "achieved kept beside requested");
      assertEquals(
          400 + requested, e.values().get("peak"), 1e-9, "the objective comes from measure.peak");
    }
    assertEquals(6, store.observations(s.runId()).size());
    assertEquals(6, fake.robot.count("synthesize"));
    assertEquals(6, fake.spectrometer.count("measure"));
    double bestLoss =
        s.experiments().stream()
            .mapToDouble(e -> Math.max(0, Math.abs(e.values().get("peak") - 520) - 5))
            .min()
            .orElseThrow();
    double got = s.best().orElseThrow().values().get("peak");
    assertEquals(bestLoss, Math.max(0, Math.abs(got - 520) - 5), 1e-9);
    // every command was journaled STARTED before it was sent and DONE after
    List<StepRecord> steps = store.steps(s.runId());
    assertEquals(12, steps.size());
    assertTrue(
        steps.stream()
            .allMatch(
                st ->
                    st.status() == StepStatus.DONE
                        && st.startedAt().isPresent()
                        && st.endedAt().isPresent()));
  }

  @Test
  void theJournalSaysStartedBeforeTheCommandLeaves() throws Exception {
    AtomicInteger startedRowsSeenBySend = new AtomicInteger();
    fake.robot.behave(
        c -> {
          // the instrument looks at the store the moment it receives the command
          long started =
              store.steps(store.latestRun("fake").orElseThrow().id()).stream()
                  .filter(
                      st -> st.instrument().equals("robot") && st.status() == StepStatus.STARTED)
                  .count();
          startedRowsSeenBySend.addAndGet(started > 0 ? 1 : 0);
          return CompletableFuture.completedFuture(
              new Reply(
                  c.name(),
                  Map.of(
                      "sampleId",
                      "S-" + c.arguments().get("temperature"),
                      "actualTemperature",
                      100.0),
                  List.of(),
                  Instant.now(),
                  Duration.ZERO));
        });
    RunSummary s = run(fake.campaign());
    assertEquals(6, startedRowsSeenBySend.get());
    assertEquals(RunStatus.COMPLETED, s.status());
  }

  @Test
  void aCampaignWiderThanAnInstrumentLimitDoesNotStart() {
    fake.temperatureMax = 300;
    CampaignProblem p =
        assertThrows(CampaignProblem.class, () -> engine(fake.campaign(), fake.lab()).start());
    assertTrue(p.getMessage().contains("temperature"), p.getMessage());
    assertTrue(p.getMessage().contains("250"), p.getMessage());
    assertEquals(0, fake.robot.received.size());
  }

  @Test
  void aLimitViolatedByAComputedValueFailsTheExperimentAndSendsNothing() throws Exception {
    // a third step sends the achieved temperature to the spectrometer, whose limit is 100
    fake.spectrometerMaxTemperature = 100;
    fake.budget = 4;
    CampaignConfig c =
        fake.campaign(
            List.of(
                new WorkflowStep(
                    "check",
                    "spectrometer",
                    "measure",
                    Map.of(
                        "sampleId",
                            new WorkflowStep.Arg.OutputArg(
                                new CampaignConfig.OutputRef("synthesize", "sampleId")),
                        "temperature",
                            new WorkflowStep.Arg.OutputArg(
                                new CampaignConfig.OutputRef(
                                    "synthesize", "actualTemperature"))))));
    RunSummary s = run(c);
    List<ExperimentRecord> hot =
        s.experiments().stream()
            .filter(e -> e.requested().number("temperature") - 0.5 > 100)
            .toList();
    List<ExperimentRecord> cool =
        s.experiments().stream()
            .filter(e -> e.requested().number("temperature") - 0.5 <= 100)
            .toList();
    assertFalse(hot.isEmpty(), "the uniform planner picks some points above 100.5");
    for (ExperimentRecord e : hot) {
      assertEquals(ExperimentStatus.FAILED, e.status());
      assertTrue(
          e.cause().orElseThrow().contains("spectrometer limit temperature <= 100 violated"),
          e.cause().orElseThrow());
    }
    cool.forEach(e -> assertEquals(ExperimentStatus.DONE, e.status()));
    // each hot experiment measured once (step 2) and never got its third command
    assertEquals(s.experiments().size() + cool.size(), fake.spectrometer.count("measure"));
  }

  @Test
  void anUnmetInterlockHoldsTheStepUntilItIsMet() throws Exception {
    fake.measureRequires = Map.of("robot.Door", "Closed");
    fake.robot.variables.put("Door", "Open");
    fake.budget = 2;
    fake.timeout = Duration.ofMinutes(30); // how long a step may be held
    FakeTime time = new FakeTime();
    CampaignEngine engine = engine(fake.campaign(), fake.lab(), time);
    CompletableFuture<RunSummary> done = engine.start();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                store.events(engine.runId()).stream()
                    .anyMatch(e -> e.kind() == EventKind.INTERLOCK_HOLD));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> !time.pending().isEmpty()); // the next read of the door is planned
    time.advance(Duration.ofSeconds(5));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> !time.pending().isEmpty()); // read again, still open: planned again
    assertEquals(
        0, fake.spectrometer.count("measure"), "nothing is measured while the door is open");
    fake.robot.variables.put("Door", "Closed");
    await().atMost(10, TimeUnit.SECONDS).until(() -> !time.pending().isEmpty());
    time.advance(Duration.ofSeconds(5));
    RunSummary s = done.get(10, TimeUnit.SECONDS);
    assertTrue(s.experiments().stream().allMatch(e -> e.status() == ExperimentStatus.DONE));
    EventRecord hold =
        store.events(s.runId()).stream()
            .filter(e -> e.kind() == EventKind.INTERLOCK_HOLD)
            .findFirst()
            .orElseThrow();
    assertTrue(hold.message().contains("robot.Door must be Closed, is Open"), hold.message());
    assertTrue(
        s.experiments()
            .get(0)
            .cause()
            .orElseThrow()
            .startsWith("interlock: spectrometer.measure held"));
  }

  @Test
  void aHungStepIsFailedByTheWatchdogAndTheCampaignGoesOn() throws Exception {
    fake.timeout =
        Duration.ofMinutes(
            30); // a real instrument's timeout: the fake clock, not the test, waits for it
    fake.budget = 3;
    AtomicInteger calls = new AtomicInteger();
    fake.spectrometer.behave(
        c ->
            calls.incrementAndGet() == 1
                ? new CompletableFuture<>() // never answers, like a hung driver
                : CompletableFuture.completedFuture(
                    new Reply(
                        c.name(),
                        Map.of("peak", 510.0, "fwhm", 20.0),
                        List.of(),
                        Instant.now(),
                        Duration.ZERO)));
    Lab lab = fake.lab();
    List<String> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
    FakeTime time = new FakeTime();
    CampaignEngine engine = engine(fake.campaign(), lab, time);
    engine.addListener(
        new EngineListener() {
          @Override
          public void onEvent(EventRecord event) {
            if (event.severity() == Severity.ALERT) alerts.add(event.kind().label());
          }
        });
    CompletableFuture<RunSummary> done = engine.start();
    // 30 min x 3 tries + pauses + a tenth as grace (see StepRunner.watchdogLimit): the fake clock
    // waits, not the test
    Duration limit =
        StepRunner.watchdogLimit(lab.instrumentConfig("spectrometer").commands().get("measure"));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> calls.get() == 1 && time.pending().equals(List.of(time.instant().plus(limit))));
    time.advance(limit.minusSeconds(1));
    assertEquals(1, time.pending().size(), "a second before its limit the watchdog still waits");
    time.advance(Duration.ofSeconds(1));
    RunSummary s = done.get(30, TimeUnit.SECONDS);
    ExperimentRecord first = s.experiments().get(0);
    assertEquals(ExperimentStatus.FAILED, first.status());
    assertTrue(
        first.cause().orElseThrow().startsWith("watchdog: spectrometer.measure: no reply"),
        first.cause().orElseThrow());
    assertTrue(alerts.contains("watchdog"));
    assertEquals(
        2, s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count());
    assertEquals(3, s.experiments().size(), "the failed experiment counts in the budget");
    assertEquals(
        InstrumentStatus.State.ONLINE,
        lab.status("spectrometer").state(),
        "a later success clears the error mark");
  }

  @Test
  void aTimeoutFromTheDriverMarksTheInstrumentAndTheExperimentCarriesIt() throws Exception {
    fake.budget = 3;
    AtomicInteger calls = new AtomicInteger();
    fake.spectrometer.behave(
        c ->
            calls.incrementAndGet() == 2
                ? CompletableFuture.failedFuture(
                    new InstrumentError.Timeout("spectrometer", "measure", "no reply within 30 s"))
                : CompletableFuture.completedFuture(
                    new Reply(
                        c.name(),
                        Map.of("peak", 515.0, "fwhm", 20.0),
                        List.of(),
                        Instant.now(),
                        Duration.ZERO)));
    RunSummary s = run(fake.campaign());
    ExperimentRecord second = s.experiments().get(1);
    assertEquals(
        "timeout: spectrometer.measure: no reply within 30 s", second.cause().orElseThrow());
    assertTrue(
        store.events(s.runId()).stream()
            .anyMatch(e -> e.kind() == EventKind.STEP_TIMEOUT && e.severity() == Severity.ALERT));
    assertEquals(
        0,
        store.observations(s.runId()).stream().filter(o -> !o.observation().isOk()).count(),
        "a timeout is not the point's fault: the planner does not learn it as a failure");
  }

  @Test
  void aRefusalIsLearnedAsAFailedPoint() throws Exception {
    fake.budget = 2;
    fake.robot.behave(
        c ->
            CompletableFuture.failedFuture(
                new InstrumentError.Refused("robot", "synthesize", "solvent not loaded")));
    RunSummary s = run(fake.campaign());
    assertTrue(
        s.experiments().stream()
            .allMatch(
                e ->
                    e.cause()
                        .orElseThrow()
                        .equals("refused: robot.synthesize: solvent not loaded")));
    assertEquals(
        2, store.observations(s.runId()).stream().filter(o -> !o.observation().isOk()).count());
  }

  @Test
  void afterACrashANonIdempotentStepIsNotSentAgain() throws Exception {
    String runId = crashedRunWithSynthesizeInFlight();
    RunSummary s = run(fake.campaign());
    assertEquals(runId, s.runId(), "the same command resumes the same run");
    ExperimentRecord first = s.experiments().get(0);
    assertEquals(ExperimentStatus.INTERRUPTED, first.status());
    assertTrue(first.cause().orElseThrow().contains("not idempotent"));
    assertFalse(
        fake.robot.received.stream().anyMatch(c -> c.arguments().get("temperature").equals(123.0)),
        "the interrupted synthesis was not sent again");
    assertEquals(6, s.experiments().size(), "the interrupted experiment counts in the budget");
    assertEquals(5, fake.robot.count("synthesize"));
  }

  @Test
  void afterACrashAnIdempotentStepIsSentAgain() throws Exception {
    fake.synthesizeIdempotent = true;
    crashedRunWithSynthesizeInFlight();
    RunSummary s = run(fake.campaign());
    ExperimentRecord first = s.experiments().get(0);
    assertEquals(ExperimentStatus.DONE, first.status());
    assertEquals(
        1,
        fake.robot.received.stream()
            .filter(c -> c.arguments().get("temperature").equals(123.0))
            .count());
    List<StepRecord> attempts =
        store.steps(s.runId()).stream().filter(st -> st.seq() == 1 && st.stepIndex() == 0).toList();
    assertEquals(
        List.of(StepStatus.INTERRUPTED, StepStatus.DONE),
        attempts.stream().map(StepRecord::status).toList());
    assertEquals(attempts.get(0).idempotencyKey(), attempts.get(1).idempotencyKey());
  }

  @Test
  void onInterruptRetryRunsThePointAgainAsANewExperiment() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.RETRY;
    crashedRunWithSynthesizeInFlight();
    RunSummary s = run(fake.campaign());
    ExperimentRecord retry =
        s.experiments().stream().filter(e -> e.retryOf().isPresent()).findFirst().orElseThrow();
    assertEquals(1, retry.retryOf().getAsInt());
    assertEquals(123.0, retry.requested().number("temperature"));
    assertEquals(ExperimentStatus.DONE, retry.status());
  }

  @Test
  void onInterruptRetryTakesANewNumberWhenLaterExperimentsWereAlreadyPlanned() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.RETRY;
    String runId = crashedRunWithSynthesizeInFlight();
    Point next = new Point(Map.of("temperature", 150.0));
    store.planExperiment(
        runId,
        2,
        next,
        Suggestion.of(next, "uniform", "x"),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    RunSummary s = run(fake.campaign());
    assertEquals(runId, s.runId());
    ExperimentRecord retry =
        s.experiments().stream().filter(e -> e.retryOf().isPresent()).findFirst().orElseThrow();
    assertEquals(3, retry.seq(), "the retry follows the last experiment planned before the crash");
    assertEquals(123.0, retry.requested().number("temperature"));
    assertEquals(
        150.0,
        s.experiments().get(1).requested().number("temperature"),
        "#2 kept its own conditions");
    assertEquals(ExperimentStatus.DONE, s.experiments().get(1).status());
  }

  @Test
  void aHeldExperimentReleasedWithHandMeasuredValuesIsLearnedAsDone() throws Exception {
    HeldRun started = startWithTheFirstExperimentHeld();
    CampaignEngine engine = started.engine();
    CompletableFuture<RunSummary> done = started.done();
    CompletableFuture<Void> gate = started.gate();
    assertEquals(ExperimentStatus.HELD, store.experiments(engine.runId()).get(0).status());

    Exception missing =
        assertThrows(
            Exception.class,
            () ->
                engine
                    .release(1, new Release.Measured(Map.of("fwhm", 3.0), "alice"))
                    .get(5, TimeUnit.SECONDS));
    assertTrue(
        missing.getMessage().contains("'fwhm' is not an objective")
            && missing.getMessage().contains("missing: peak"),
        missing.getMessage());
    ExperimentRecord after =
        engine
            .release(
                1,
                new Release.Measured(Map.of("peak", 519.0), "alice: read off the spectrum by hand"))
            .get(5, TimeUnit.SECONDS);
    assertEquals(ExperimentStatus.DONE, after.status());
    assertTrue(
        after
            .cause()
            .orElseThrow()
            .startsWith("measured by hand after a hold: alice: read off the spectrum by hand"),
        after.cause().get());
    assertEquals(
        List.of(519.0),
        store.observations(engine.runId()).stream()
            .map(o -> o.observation().values().get("peak"))
            .toList(),
        "the planner learns the hand-measured value");
    Exception twice =
        assertThrows(
            Exception.class,
            () -> engine.release(1, new Release.Fail("bob")).get(5, TimeUnit.SECONDS));
    assertTrue(twice.getMessage().contains("is DONE, not HELD"), twice.getMessage());

    gate.complete(null);
    RunSummary s = done.get(30, TimeUnit.SECONDS);
    assertEquals(RunStatus.COMPLETED, s.status());
    assertEquals(519.0, s.experiments().get(0).values().get("peak"));
    assertEquals(5, fake.robot.count("synthesize"), "the held synthesis was never sent again");
  }

  @Test
  void aHeldExperimentReleasedForARetryRunsItsConditionsAgainWithinTheBudget() throws Exception {
    HeldRun started = startWithTheFirstExperimentHeld();
    CampaignEngine engine = started.engine();
    CompletableFuture<RunSummary> done = started.done();
    CompletableFuture<Void> gate = started.gate();

    ExperimentRecord retry =
        engine.release(1, new Release.Retry("alice: the vial was empty")).get(5, TimeUnit.SECONDS);
    assertEquals(OptionalInt.of(1), retry.retryOf());
    assertEquals(123.0, retry.requested().number("temperature"));
    gate.complete(null);
    RunSummary s = done.get(30, TimeUnit.SECONDS);
    assertEquals(
        6,
        s.experiments().stream().filter(ExperimentRecord::reached).count(),
        "the retry counts against the budget");
    ExperimentRecord held = s.experiments().get(0);
    assertEquals(ExperimentStatus.INTERRUPTED, held.status());
    assertTrue(
        held.cause()
            .orElseThrow()
            .startsWith("retried as #" + retry.seq() + " after a hold: alice: the vial was empty"),
        held.cause().get());
    ExperimentRecord ran =
        s.experiments().stream().filter(e -> e.seq() == retry.seq()).findFirst().orElseThrow();
    assertEquals(ExperimentStatus.DONE, ran.status());
    assertEquals(
        1,
        fake.robot.received.stream()
            .filter(c -> c.arguments().get("temperature").equals(123.0))
            .count(),
        "the conditions ran once more, as the new experiment");
  }

  @Test
  void whileHeldThePointIsPendingForThePlanner() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.HOLD;
    crashedRunWithSynthesizeInFlight();
    List<io.labloop.planners.PlanningState> asked =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    RunSummary s =
        CampaignEngine.builder()
            .campaign(fake.campaign())
            .lab(fake.lab())
            .store(store)
            .planner(
                seed -> {
                  io.labloop.planners.Planner uniform = FakeLab.uniform(seed);
                  return new io.labloop.planners.Planner() {
                    @Override
                    public String name() {
                      return uniform.name();
                    }

                    @Override
                    public List<Suggestion> suggest(
                        io.labloop.planners.PlanningState state, int n) {
                      asked.add(state);
                      return uniform.suggest(state, n);
                    }
                  };
                })
            .build()
            .start()
            .get(30, TimeUnit.SECONDS);
    assertEquals(ExperimentStatus.HELD, s.experiments().get(0).status());
    assertTrue(
        asked.stream()
            .allMatch(st -> st.pending().stream().anyMatch(p -> p.number("temperature") == 123.0)),
        "every plan after the crash sees the held point as pending");
  }

  @Test
  void aRetryBeyondTheBudgetIsRefusedAndAFailureIsLearned() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.HOLD;
    fake.budget = 2;
    crashedRunWithSynthesizeInFlight();
    CompletableFuture<Void> gate = gateTheRobot();
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> fake.robot.count("synthesize") == 1);

    Exception refused =
        assertThrows(
            Exception.class,
            () -> engine.release(1, new Release.Retry("alice")).get(5, TimeUnit.SECONDS));
    assertTrue(refused.getMessage().contains("no budget left to retry #1"), refused.getMessage());
    assertEquals(
        ExperimentStatus.HELD,
        store.experiments(engine.runId()).get(0).status(),
        "a refused release changes nothing");
    engine
        .release(1, new Release.Fail("alice: the robot dropped the vial"))
        .get(5, TimeUnit.SECONDS);
    assertEquals(
        List.of(false),
        store.observations(engine.runId()).stream().map(o -> o.observation().isOk()).toList(),
        "the planner learns the point as a failure");
    gate.complete(null);
    RunSummary s = done.get(30, TimeUnit.SECONDS);
    assertEquals(ExperimentStatus.FAILED, s.experiments().get(0).status());
    assertTrue(
        s.experiments()
            .get(0)
            .cause()
            .orElseThrow()
            .startsWith("failed after a hold: alice: the robot dropped the vial"));
  }

  @Test
  void aHeldExperimentOfAnEndedRunCanBeFailedOrMeasuredButNotRetried() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.HOLD;
    fake.budget = 3;
    crashedRunWithSynthesizeInFlight();
    RunSummary s = run(fake.campaign());
    assertEquals(RunStatus.COMPLETED, s.status());
    assertEquals(
        ExperimentStatus.HELD, s.experiments().get(0).status(), "the hold outlives the run");
    var run = store.run(s.runId()).orElseThrow();

    IllegalStateException retry =
        assertThrows(
            IllegalStateException.class,
            () ->
                HeldExperiments.releaseEnded(
                    store, run, List.of("peak"), 1, new Release.Retry("alice")));
    assertTrue(retry.getMessage().contains("has ended"), retry.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            HeldExperiments.releaseEnded(
                store,
                run,
                List.of("peak"),
                1,
                new Release.Measured(Map.of("peak", Double.NaN), "alice")));
    ExperimentRecord after =
        HeldExperiments.releaseEnded(
            store,
            run,
            List.of("peak"),
            1,
            new Release.Measured(Map.of("peak", 517.0), "alice: bench UV-Vis"));
    assertEquals(ExperimentStatus.DONE, after.status());
    assertEquals(Map.of("peak", 517.0), after.values());
    assertTrue(
        store.observations(s.runId()).stream()
            .anyMatch(o -> o.seq() == 1 && o.observation().values().get("peak") == 517.0));
    assertThrows(
        IllegalStateException.class,
        () -> HeldExperiments.releaseEnded(store, run, List.of("peak"), 1, new Release.Fail("bob")),
        "released once only");
  }

  /** The robot answers as usual, but only once the returned gate is completed. */
  /**
   * A resumed run whose experiment #1 was in flight at a crash and is now HELD; the robot is gated.
   */
  private record HeldRun(
      CampaignEngine engine, CompletableFuture<RunSummary> done, CompletableFuture<Void> gate) {}

  private HeldRun startWithTheFirstExperimentHeld() throws Exception {
    fake.onInterrupt = CampaignConfig.OnInterrupt.HOLD;
    crashedRunWithSynthesizeInFlight();
    CompletableFuture<Void> gate = gateTheRobot();
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> fake.robot.count("synthesize") == 1 && engine.progress().held() == 1);
    return new HeldRun(engine, done, gate);
  }

  private CompletableFuture<Void> gateTheRobot() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    fake.robot.behave(
        c ->
            gate.thenApply(
                v ->
                    new Reply(
                        c.name(),
                        Map.of(
                            "sampleId",
                            "S-" + c.arguments().get("temperature"),
                            "actualTemperature",
                            ((Number) c.arguments().get("temperature")).doubleValue() - 0.5),
                        List.of(),
                        Instant.now(),
                        Duration.ZERO)));
    return gate;
  }

  /** A run whose first experiment journaled synthesize STARTED and then the process died. */
  private String crashedRunWithSynthesizeInFlight() {
    CampaignConfig c = fake.campaign();
    store.saveCampaign(c.name(), c.file(), c.text(), c.sha256());
    String runId = store.createRun(c.name(), c.sha256(), 7).id();
    Point p = new Point(Map.of("temperature", 123.0));
    store.planExperiment(
        runId,
        1,
        p,
        Suggestion.of(p, "uniform", "x"),
        ExperimentStatus.PLANNED,
        OptionalInt.empty());
    store.stepStarted(
        new StepRecord(
            runId,
            1,
            0,
            1,
            "synthesize",
            "robot",
            "synthesize",
            Map.of("temperature", 123.0),
            StepStatus.STARTED,
            StepRecord.idempotencyKey(runId, 1, "synthesize"),
            Instant.now(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty(),
            Optional.empty()));
    return runId;
  }

  @Test
  void aChangedCampaignFileDoesNotSilentlyResumeTheOldRun() throws Exception {
    run(fake.campaign());
    fake.yaml = "campaign: fake\n# edited\n";
    CampaignProblem p =
        assertThrows(CampaignProblem.class, () -> engine(fake.campaign(), fake.lab()).start());
    assertTrue(p.getMessage().contains("--restart"));
    RunSummary again =
        CampaignEngine.builder()
            .campaign(fake.campaign())
            .lab(fake.lab())
            .store(store)
            .planner(FakeLab::uniform)
            .restart(true)
            .build()
            .start()
            .get(30, TimeUnit.SECONDS);
    assertEquals("fake/2", again.runId());
    assertEquals(2, store.runs("fake").size());
  }

  @Test
  void pauseFinishesRunningStepsAndStartsNone() throws Exception {
    fake.budget = 4;
    CompletableFuture<Reply> held = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    fake.robot.behave(
        c ->
            calls.incrementAndGet() == 1
                ? held
                : CompletableFuture.completedFuture(
                    new Reply(
                        c.name(),
                        Map.of("sampleId", "S-100.0", "actualTemperature", 100.0),
                        List.of(),
                        Instant.now(),
                        Duration.ZERO)));
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> calls.get() == 1);
    engine.pause().get(5, TimeUnit.SECONDS);
    held.complete(
        new Reply(
            "synthesize",
            Map.of("sampleId", "S-100.0", "actualTemperature", 100.0),
            List.of(),
            Instant.now(),
            Duration.ZERO));
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                store.steps(engine.runId()).stream().anyMatch(s -> s.status() == StepStatus.DONE));
    assertEquals(Progress.State.PAUSED, engine.progress().state());
    assertEquals(0, fake.spectrometer.received.size(), "no new step starts while paused");
    assertEquals(1, calls.get());
    engine.resume();
    RunSummary s = done.get(10, TimeUnit.SECONDS);
    assertEquals(
        4, s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count());
  }

  @Test
  void abortSendsEachInstrumentsAbortCommandAndEndsTheRun() throws Exception {
    fake.robot.behave(
        c ->
            c.name().equals("abort")
                ? CompletableFuture.completedFuture(
                    new Reply("abort", Map.of(), List.of(), Instant.now(), Duration.ZERO))
                : new CompletableFuture<>());
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> fake.robot.count("synthesize") == 1);
    engine.abort("operator pressed stop");
    RunSummary s = done.get(10, TimeUnit.SECONDS);
    assertEquals(RunStatus.ABORTED, s.status());
    assertEquals(1, fake.robot.count("abort"));
    assertEquals("aborted: operator pressed stop", s.experiments().get(0).cause().orElseThrow());
  }

  @Test
  void manualApprovalWaitsAndARejectionIsLearnedAsAFailure() throws Exception {
    fake.approval = CampaignConfig.Approval.MANUAL;
    fake.budget = 2;
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !engine.awaitingApproval().get().isEmpty());
    assertEquals(0, fake.robot.received.size(), "nothing runs before approval");
    int first = engine.awaitingApproval().get().get(0).seq();
    engine.reject(first, "too hot for this solvent").get(5, TimeUnit.SECONDS);
    assertEquals(
        1,
        store.observations(engine.runId()).stream().filter(o -> !o.observation().isOk()).count());
    assertThrows(Exception.class, () -> engine.approve(first).get(5, TimeUnit.SECONDS));
    for (int i = 0; i < 2; i++) {
      await().atMost(5, TimeUnit.SECONDS).until(() -> !engine.awaitingApproval().get().isEmpty());
      engine.approve(engine.awaitingApproval().get().get(0).seq()).get(5, TimeUnit.SECONDS);
    }
    RunSummary s = done.get(10, TimeUnit.SECONDS);
    assertEquals(
        2, s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count());
    assertEquals(
        "rejected: too hot for this solvent", s.experiments().get(0).cause().orElseThrow());
  }

  @Test
  void shutdownLeavesTheRunToResumeAndWritesNothingAfter() throws Exception {
    fake.synthesizeIdempotent = true;
    fake.robot.behave(
        c -> new CompletableFuture<>()); // the robot never answers before the shutdown
    CampaignEngine engine = engine(fake.campaign(), fake.lab());
    CompletableFuture<RunSummary> done = engine.start();
    await().atMost(5, TimeUnit.SECONDS).until(() -> fake.robot.count("synthesize") == 1);
    engine.shutdown(Duration.ofMillis(100)).get(5, TimeUnit.SECONDS);
    Exception stopped = assertThrows(Exception.class, () -> done.get(5, TimeUnit.SECONDS));
    assertTrue(stopped.getCause() instanceof EngineStopped, stopped.toString());
    assertEquals(RunStatus.RUNNING, store.latestRun("fake").orElseThrow().status());
    assertEquals(
        StepStatus.STARTED,
        store.steps(engine.runId()).get(0).status(),
        "left as a crash would leave it");

    FakeLab again = new FakeLab();
    again.synthesizeIdempotent = true;
    RunSummary s = engine(again.campaign(), again.lab()).start().get(30, TimeUnit.SECONDS);
    assertEquals(engine.runId(), s.runId());
    assertEquals(
        6, s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count());
  }

  @Test
  void twoCampaignsSharingTheLabTakeTurnsOnItsInstruments() throws Exception {
    // every command takes 20 ms, so both campaigns queue for the robot and the spectrometer; the
    // robot's first synthesis also waits until the other campaign has planned its first experiment,
    // so that on a loaded machine one campaign cannot finish before the other has begun
    java.util.concurrent.Executor slow =
        CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);
    java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    fake.robot.behave(
        c ->
            CompletableFuture.supplyAsync(
                () -> {
                  if (first.getAndSet(false)) {
                    org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(
                            () ->
                                store.runs("low").stream()
                                        .anyMatch(r -> !store.experiments(r.id()).isEmpty())
                                    && store.runs("high").stream()
                                        .anyMatch(r -> !store.experiments(r.id()).isEmpty()));
                  }
                  return new Reply(
                      c.name(),
                      Map.of(
                          "sampleId",
                          "S-" + c.arguments().get("temperature"),
                          "actualTemperature",
                          1.0),
                      List.of(),
                      Instant.now(),
                      Duration.ZERO);
                },
                slow));
    fake.budget = 6;
    Lab shared = fake.lab();
    FakeLab low = new FakeLab();
    low.name = "low";
    low.temperatureMax = 100;
    low.budget = 6;
    FakeLab high = new FakeLab();
    high.name = "high";
    high.temperatureMin = 140;
    high.budget = 6;
    CompletableFuture<RunSummary> a = engine(low.campaign(), shared).start();
    CompletableFuture<RunSummary> b = engine(high.campaign(), shared).start();
    assertEquals(RunStatus.COMPLETED, a.get(30, TimeUnit.SECONDS).status());
    assertEquals(RunStatus.COMPLETED, b.get(30, TimeUnit.SECONDS).status());
    List<Boolean> lowTurns =
        fake.robot.received.stream()
            .map(c -> ((Number) c.arguments().get("temperature")).doubleValue() < 120)
            .toList();
    assertEquals(12, lowTurns.size());
    // neither campaign waits for the other to finish: the first eight syntheses are shared
    long lowInFirstEight = lowTurns.subList(0, 8).stream().filter(x -> x).count();
    assertTrue(lowInFirstEight >= 3 && lowInFirstEight <= 5, "turns on the robot: " + lowTurns);
  }
}
