package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a lab-wide event (an instrument or an agent going offline and coming back) in the event log
 * of every run this daemon runs whose workflow uses one of the instruments concerned. Lab-wide
 * events are otherwise only on the live event stream and in the log file; a run's own record, and
 * so its export, then says why its steps failed, waited or were interrupted, also after the daemon
 * restarted or another daemon took the run over.
 */
final class LabEventsInRuns {
  private static final Logger log = LoggerFactory.getLogger(LabEventsInRuns.class);

  private final Store store;
  private final RunningCampaigns running;

  LabEventsInRuns(Store store, RunningCampaigns running) {
    this.store = store;
    this.running = running;
  }

  /**
   * @param instruments the instruments the event concerns; a run using none of them does not get it
   * @param instrument the one instrument to name in the stored event, when there is one
   */
  void keep(
      Collection<String> instruments,
      EventKind kind,
      Severity severity,
      Optional<String> instrument,
      String message) {
    for (RunningCampaigns.Running r : running.all()) {
      boolean uses =
          r.config().workflow().stream().anyMatch(s -> instruments.contains(s.instrument()));
      if (!uses) continue;
      try {
        store.addEvent(
            r.runId(), kind, severity, Optional.empty(), instrument, OptionalInt.empty(), message);
      } catch (StoreException e) {
        // the event stream and the log have it; only this run's own record misses it
        log.warn("{} event not kept with run {}: {}", kind, r.runId(), e.getMessage());
      }
    }
  }
}
