package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;

/**
 * Told of what a {@link CampaignEngine} does, on the engine's thread: keep it quick (hand work to
 * your own thread) and never block.
 */
public interface EngineListener {

  /** An event was stored (holds, alerts, pauses, stops). */
  default void onEvent(EventRecord event) {}

  /** An experiment changed status (planned, started, done, failed, ...). */
  default void onExperiment(ExperimentRecord experiment) {}

  /** The counts changed. */
  default void onProgress(Progress progress) {}
}
