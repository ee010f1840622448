package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.RunStatus;
import java.util.List;
import java.util.Optional;

/** How a run ended: its status, why, every experiment and the best one. */
public record RunSummary(
    String runId,
    RunStatus status,
    String stopReason,
    List<ExperimentRecord> experiments,
    Optional<Best> best) {
  public RunSummary {
    experiments = List.copyOf(experiments);
  }
}
