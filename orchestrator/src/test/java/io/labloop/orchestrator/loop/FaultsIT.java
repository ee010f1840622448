package io.labloop.orchestrator.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.EngineListener;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunStatus;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults during a campaign on the virtual lab: an interlock that is not met (the robot's door
 * open), a spectrometer that never answers, one that answers garbage, an XRD whose connection
 * drops. The campaign goes on and each affected experiment carries its cause.
 */
class FaultsIT {

  @TempDir Path dir;

  @Test
  void theCampaignGoesOnAndAffectedExperimentsCarryTheCause() throws Exception {
    Path file = new LoopFiles(dir).set("BUDGET", 8).write();
    CampaignConfig campaign = ConfigLoader.standard().loadCampaign(file);
    try (VirtualLabs.Running sim =
            VirtualLabs.start(campaign.lab(), dir.resolve("sim"), Map.of(), false);
        Lab lab = Lab.connect(sim.config(), Drivers.standard(), Duration.ofSeconds(30));
        Store store = Store.open(StoreLocation.sqlite(dir.resolve("data")))) {
      VirtualLab virtual = sim.virtualLab();
      virtual.setVariable("robot", "Door", "Open");
      PlannerSpec spec = campaign.planner();
      CampaignEngine engine =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(seed -> Planners.create(new PlannerSpec(spec.type(), seed, spec.options())))
              .interlockPoll(Duration.ofMillis(50))
              .build();
      AtomicBoolean doorClosed = new AtomicBoolean();
      engine.addListener(
          new EngineListener() {
            @Override
            public void onEvent(EventRecord e) {
              // someone closes the door once the hold is announced
              if (e.kind() == EventKind.INTERLOCK_HOLD && doorClosed.compareAndSet(false, true))
                virtual.setVariable("robot", "Door", "Closed");
            }

            @Override
            public void onExperiment(ExperimentRecord e) {
              // the instrument faults come after the interlock's experiment, so that each
              // experiment has one cause
              if (e.seq() == 1 && e.status() == ExperimentStatus.DONE) {
                // the driver re-sends an idempotent measure twice after a timeout: three timeouts
                // make one failure
                virtual
                    .faults("spectrometer")
                    .next(Fault.TIMEOUT, Fault.TIMEOUT, Fault.TIMEOUT, Fault.GARBAGE);
                virtual.faults("xrd").next(Fault.DISCONNECT);
              }
            }
          });
      RunSummary s = engine.start().get(120, TimeUnit.SECONDS);

      assertEquals(RunStatus.COMPLETED, s.status());
      assertEquals(8, s.experiments().stream().filter(ExperimentRecord::reached).count());
      List<EventRecord> events = store.events(s.runId());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.kind() == EventKind.INTERLOCK_HOLD
                          && e.message().contains("robot.Door must be Closed, is Open")));
      ExperimentRecord first = s.experiments().get(0);
      assertTrue(
          first.cause().orElseThrow().startsWith("interlock: robot.synthesize held"),
          first.cause().orElseThrow());

      List<String> kinds = new ArrayList<>();
      for (ExperimentRecord e : s.experiments()) {
        if (e.status() != ExperimentStatus.FAILED) continue;
        String cause = e.cause().orElseThrow();
        kinds.add(cause.substring(0, cause.indexOf(':')));
      }
      kinds.sort(String::compareTo);
      assertEquals(3, kinds.size(), "one failed experiment per injected fault: " + kinds);
      assertTrue(kinds.contains("timeout"), kinds.toString());
      assertTrue(kinds.contains("bad-reply"), kinds.toString());
      assertTrue(
          kinds.contains("disconnected")
              || kinds.stream().filter(k -> k.equals("timeout")).count() == 2,
          kinds.toString());
      assertEquals(
          5,
          s.experiments().stream().filter(e -> e.status() == ExperimentStatus.DONE).count(),
          "the others completed");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.severity() == Severity.ALERT
                          && e.instrument().orElse("").equals("spectrometer")),
          "a timeout raises an alert naming the instrument");
      System.out.println(
          "FaultsIT: failed experiments by cause " + kinds + "; events " + events.size());
    }
  }
}
