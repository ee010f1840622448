package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.EventView;
import io.labloop.orchestrator.api.InstrumentDetail;
import io.labloop.orchestrator.api.InstrumentView;
import io.labloop.orchestrator.lab.Holding;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.SentCommand;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.Severity;
import io.labloop.orchestrator.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One instrument as {@code GET /api/instruments/{name}} shows it: the state (from the list), who
 * holds it now and the last command sent (from the {@link Lab}, in memory), its health probes (from
 * the store: they outlive a restart) and its alerts.
 *
 * <p>Alerts are taken from the daemon's event stream as they pass ({@link #onEvent}): an instrument
 * going offline or online again, and every ALERT about it (a failed calibration, a failed abort, a
 * step that hung). The periodic "still offline" warnings of the health check are left out: they
 * repeat every check and the state already says it. The newest {@link #ALERTS_KEPT} per instrument
 * are kept, since the daemon started.
 */
final class InstrumentDetails {
  static final int ALERTS_KEPT = 50;
  static final int PROBES_SHOWN = 50;

  private final Supplier<Lab> lab;
  private final Store store;
  private final Supplier<List<InstrumentView>> states;
  private final Map<String, Deque<EventView>> alerts = new ConcurrentHashMap<>();

  InstrumentDetails(Supplier<Lab> lab, Store store, Supplier<List<InstrumentView>> states) {
    this.lab = lab;
    this.store = store;
    this.states = states;
  }

  /** Called for every event the daemon publishes; keeps those that are an instrument's alerts. */
  void onEvent(EventView e) {
    if (e.instrument() == null) return;
    boolean alert =
        e.severity().equals(Severity.ALERT.name())
            || e.kind().equals(EventKind.INSTRUMENT_ONLINE.label())
            || e.kind().equals(EventKind.INSTRUMENT_OFFLINE.label());
    if (!alert || e.kind().equals(EventKind.HEALTH.label())) return;
    Deque<EventView> mine = alerts.computeIfAbsent(e.instrument(), k -> new ArrayDeque<>());
    synchronized (mine) {
      mine.addFirst(e);
      while (mine.size() > ALERTS_KEPT) mine.pollLast();
    }
  }

  InstrumentDetail detail(String name) {
    InstrumentView view =
        states.get().stream()
            .filter(i -> i.name().equals(name))
            .findFirst()
            .orElseThrow(() -> ApiProblem.notFound("no instrument " + name + " in the lab"));
    Lab l = lab.get();
    List<InstrumentDetail.Holder> holders =
        l.holdings(name).stream().map(InstrumentDetails::holder).toList();
    InstrumentDetail.LastCommand last =
        l.lastCommand(name).map(InstrumentDetails::command).orElse(null);
    List<InstrumentDetail.HealthProbe> probes =
        store.probes(name, PROBES_SHOWN).stream()
            .map(
                p ->
                    new InstrumentDetail.HealthProbe(
                        p.at().toString(), p.command(), p.outcome(), p.millis(), p.message()))
            .toList();
    List<EventView> mine = new ArrayList<>();
    Deque<EventView> kept = alerts.get(name);
    if (kept != null) {
      synchronized (kept) {
        mine.addAll(kept);
      }
    }
    return new InstrumentDetail(view, holders, last, probes, mine);
  }

  private static InstrumentDetail.Holder holder(Holding h) {
    return new InstrumentDetail.Holder(
        h.holder(),
        h.run() == null ? null : ApiViews.id(h.run()),
        h.experiment(),
        h.step(),
        h.since().toString());
  }

  private static InstrumentDetail.LastCommand command(SentCommand c) {
    return new InstrumentDetail.LastCommand(
        c.command(),
        c.arguments(),
        c.by(),
        c.sentAt().toString(),
        c.outcome(),
        c.answeredAt() == null ? null : c.answeredAt().toString(),
        c.seconds(),
        c.message());
  }
}
