package io.labloop.orchestrator.cli;

import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.agent.AgentAlerts;
import io.labloop.orchestrator.campaign.Best;
import io.labloop.orchestrator.campaign.CampaignEngine;
import io.labloop.orchestrator.campaign.CampaignProblem;
import io.labloop.orchestrator.campaign.EngineBuilder;
import io.labloop.orchestrator.campaign.EngineListener;
import io.labloop.orchestrator.campaign.EngineStopped;
import io.labloop.orchestrator.campaign.Progress;
import io.labloop.orchestrator.campaign.RunSummary;
import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.orchestrator.lab.Lab;
import io.labloop.orchestrator.lab.LabUnavailable;
import io.labloop.orchestrator.lab.VirtualLabs;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.EventRecord;
import io.labloop.orchestrator.store.ExperimentRecord;
import io.labloop.orchestrator.store.ExperimentStatus;
import io.labloop.orchestrator.store.RunClaim;
import io.labloop.orchestrator.store.RunId;
import io.labloop.orchestrator.store.RunOwnership;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import io.labloop.orchestrator.store.StoreLocation;
import io.labloop.planners.PlannerSpec;
import io.labloop.planners.Planners;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One campaign run in the foreground, as {@code labloop run} and {@code labloop demo} do it: open
 * the store, start the virtual lab if asked, connect the instruments, run the engine with a live
 * progress line, print the summary table. The wiring lives here so that both commands assemble the
 * same thing.
 */
final class CampaignSession {

  /** What to run and where. */
  record Options(
      CampaignConfig campaign,
      StoreLocation store,
      boolean simulate,
      Map<String, Object> simulationOverrides,
      boolean privateEndpoints,
      Optional<Long> seed,
      boolean restart,
      Duration connectTimeout) {}

  private final PrintStream out;
  private final PrintStream err;

  CampaignSession(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the campaign to the end of its run; returns the summary. */
  RunSummary run(Options o) {
    String name = o.campaign().name();
    RunOwnership ownership;
    try {
      ownership = RunOwnership.open(o.store());
    } catch (StoreException e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    RunClaim runLock =
        ownership
            .tryClaim(name)
            .orElseThrow(
                () ->
                    new UserError(
                        "campaign "
                            + name
                            + " is already running on "
                            + (ownership.shared()
                                ? o.store()
                                : "data folder " + o.store().dataDir())
                            + " (in a labloop daemon or another labloop run);"
                            + " stop it there first, or use 'labloop status' to watch it",
                        ExitCodes.FAILURE));
    Store store;
    try {
      store = Store.open(o.store());
    } catch (StoreException e) {
      runLock.close();
      ownership.close();
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    VirtualLabs.Running sim = null;
    Lab lab = null;
    Thread hook = null;
    CountDownLatch left = new CountDownLatch(1);
    try {
      LabConfig labConfig = o.campaign().lab();
      if (o.simulate()) {
        Path work = o.store().dataDir().resolve("sim").resolve(labConfig.name());
        sim = VirtualLabs.start(labConfig, work, o.simulationOverrides(), o.privateEndpoints());
        labConfig = sim.config();
        out.println(
            "virtual lab "
                + labConfig.name()
                + " started ("
                + sim.virtualLab().instruments().size()
                + " instruments)");
      }
      lab = Lab.connect(labConfig, Drivers.standard(), o.connectTimeout());
      CampaignConfig campaign = o.campaign();
      PlannerSpec spec = campaign.planner();
      EngineBuilder b =
          CampaignEngine.builder()
              .campaign(campaign)
              .lab(lab)
              .store(store)
              .planner(seed -> Planners.create(new PlannerSpec(spec.type(), seed, spec.options())))
              .restart(o.restart());
      o.seed().ifPresent(b::seed);
      CampaignEngine engine = b.build();
      ProgressLine line = new ProgressLine(out, System.console() != null, campaign);
      engine.addListener(line);
      // Ctrl-C or SIGTERM: the store is consistent after every call, so leaving is safe. The hook
      // lets the commands in flight answer and be journaled, so that nothing is left "maybe sent",
      // then waits for this thread to say how to resume and close the lab (ports, ptys): the JVM
      // ends as soon as the hook returns, whatever this thread was doing.
      final VirtualLabs.Running simToClose = sim;
      final Lab labToClose = lab;
      hook =
          new Thread(
              () -> {
                try {
                  engine.shutdown(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                  if (left.await(10, TimeUnit.SECONDS)) return;
                } catch (Exception e) {
                  // leaving anyway: what was committed is safe
                }
                labToClose.close();
                if (simToClose != null) simToClose.close();
              },
              "labloop-run-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      RunSummary summary;
      try {
        var running = engine.start();
        store.recordDriver(engine.runId(), driverName());
        watchAgents(labToClose, store, engine.runId());
        summary = running.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof EngineStopped) {
          Progress p = engine.progress();
          err.println();
          err.println(
              "stopped with "
                  + p.done()
                  + " experiments done; run the same command again to resume run "
                  + engine.runId());
          throw new UserError(cause.getMessage(), ExitCodes.FAILURE);
        }
        throw new UserError(
            "run stopped: "
                + cause.getMessage()
                + " (the run is kept; the same command resumes it)",
            ExitCodes.FAILURE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted", ExitCodes.FAILURE);
      }
      line.finish();
      printSummary(summary, campaign, o.store());
      return summary;
    } catch (CampaignProblem | LabUnavailable e) {
      throw new UserError(
          e.getMessage(), e instanceof CampaignProblem ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE);
    } finally {
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running and closes the lab itself
        }
      }
      if (lab != null) lab.close();
      if (sim != null) sim.close();
      store.close();
      runLock.close();
      ownership.close();
      left.countDown();
    }
  }

  /**
   * An instrument agent going offline (one alert) or coming back (one info) is kept in the run's
   * event log and shown here, as the daemon does for its runs.
   */
  private void watchAgents(Lab lab, Store store, String runId) {
    lab.agents()
        .ifPresent(
            link ->
                AgentAlerts.watch(
                    link,
                    a -> {
                      err.println();
                      err.println(a.severity() + ": " + a.message());
                      try {
                        store.addEvent(
                            runId,
                            a.kind(),
                            a.severity(),
                            java.util.Optional.empty(),
                            java.util.Optional.empty(),
                            java.util.OptionalInt.empty(),
                            a.message());
                      } catch (StoreException e) {
                        // the terminal shows it; only the run's record misses it
                        err.println("(not kept in the run's events: " + e.getMessage() + ")");
                      }
                    }));
  }

  /** What the store records as the driver of a run this command drives. */
  private static String driverName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return "labloop run on " + host + " (pid " + ProcessHandle.current().pid() + ")";
  }

  private void printSummary(RunSummary s, CampaignConfig campaign, StoreLocation where) {
    List<String> params = campaign.space().names();
    List<String> objectives = campaign.plannerObjectives().stream().map(o -> o.name()).toList();
    List<String> header = new ArrayList<>(List.of("#", "status"));
    header.addAll(params);
    header.addAll(objectives);
    header.add("cause");
    List<List<String>> rows = new ArrayList<>();
    for (ExperimentRecord e : s.experiments()) {
      List<String> row =
          new ArrayList<>(
              List.of(Integer.toString(e.seq()), e.status().name().toLowerCase(Locale.ROOT)));
      for (String p : params) row.add(format(e.achieved().orElse(e.requested()).values().get(p)));
      for (String o : objectives) row.add(format(e.values().get(o)));
      String cause = e.cause().orElse("");
      row.add(cause.length() > 60 ? cause.substring(0, 57) + "..." : cause);
      rows.add(row);
    }
    out.println();
    out.println(table(header, rows));
    long done = s.experiments().stream().filter(e -> e.status().name().equals("DONE")).count();
    out.printf(
        Locale.ROOT,
        "run %s %s: %s; %d experiments, %d done%n",
        s.runId(),
        s.status().name().toLowerCase(Locale.ROOT),
        s.stopReason(),
        s.experiments().size(),
        done);
    s.best().ifPresent(b -> out.println("best: #" + b.seq() + " " + describe(b)));
    List<ExperimentRecord> held =
        s.experiments().stream().filter(e -> e.status() == ExperimentStatus.HELD).toList();
    if (!held.isEmpty()) {
      out.println(
          "held for a person to check: "
              + held.stream().map(e -> "#" + e.seq()).collect(Collectors.joining(", "))
              + " (a step that is not idempotent was in flight at a crash). Once checked, release each through a daemon on this data folder:");
      out.println(
          "  labloop daemon --lab "
              + campaign.lab().file()
              + " --data "
              + where.dataDir()
              + "   then   labloop release "
              + RunId.of(s.runId()).api()
              + " N --fail [--reason TEXT] | --value OBJECTIVE=NUMBER...   (see docs/daemon.md)");
    }
  }

  static String describe(Best b) {
    String at =
        b.point().values().entrySet().stream()
            .map(e -> e.getKey() + "=" + format(e.getValue()))
            .collect(Collectors.joining(" "));
    String got =
        b.values().entrySet().stream()
            .map(e -> e.getKey() + "=" + format(e.getValue()))
            .collect(Collectors.joining(" "));
    return at + " -> " + got;
  }

  static String format(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) {
      if (d.isNaN()) return "";
      double a = Math.abs(d);
      if (a != 0 && (a >= 1e5 || a < 1e-3)) return String.format(Locale.ROOT, "%.4g", d);
      return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return v.toString();
  }

  private static String table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) width[i] = header.get(i).length();
    for (List<String> r : rows)
      for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
    StringBuilder sb = new StringBuilder();
    appendRow(sb, header, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) rule.add("-".repeat(w));
    appendRow(sb, rule, width);
    for (List<String> r : rows) appendRow(sb, r, width);
    return sb.toString().stripTrailing();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
    for (int i = 0; i < cells.size(); i++) {
      sb.append(String.format("%-" + width[i] + "s", cells.get(i)));
      sb.append(i + 1 < cells.size() ? "  " : "");
    }
    sb.append(System.lineSeparator());
  }

  /**
   * The live progress line: rewritten in place on a terminal, one line per change (at most one a
   * second) otherwise, so that a log file stays readable.
   */
  private static final class ProgressLine implements EngineListener {
    private final PrintStream out;
    private final boolean terminal;
    private final CampaignConfig campaign;
    private String last = "";
    private long lastPrinted;

    ProgressLine(PrintStream out, boolean terminal, CampaignConfig campaign) {
      this.out = out;
      this.terminal = terminal;
      this.campaign = campaign;
    }

    @Override
    public synchronized void onProgress(Progress p) {
      StringBuilder s = new StringBuilder();
      s.append(p.runId()).append(": ").append(p.counted());
      p.budget().ifPresent(b -> s.append('/').append(b));
      s.append(" experiments (")
          .append(p.done())
          .append(" done, ")
          .append(p.failed())
          .append(" failed, ")
          .append(p.inFlight())
          .append(" running)");
      p.best()
          .ifPresent(
              b ->
                  s.append("  best #")
                      .append(b.seq())
                      .append(": ")
                      .append(
                          b.values().entrySet().stream()
                              .map(e -> e.getKey() + "=" + format(e.getValue()))
                              .collect(Collectors.joining(" "))));
      p.eta()
          .ifPresent(
              eta ->
                  s.append("  ETA ")
                      .append(
                          eta.toSeconds() >= 120
                              ? eta.toMinutes() + " min"
                              : eta.toSeconds() + " s"));
      if (p.held() > 0) s.append("  [").append(p.held()).append(" held]");
      if (p.state() == Progress.State.PAUSED) s.append("  [paused]");
      String text = s.toString();
      if (text.equals(last)) return;
      long now = System.currentTimeMillis();
      if (terminal) {
        out.print("\r" + text + " ".repeat(Math.max(0, last.length() - text.length())));
        out.flush();
        last = text;
      } else if (now - lastPrinted >= 1000 || p.state() == Progress.State.FINISHED) {
        out.println(text);
        last = text;
        lastPrinted = now;
      }
    }

    /** A hold needs a person: say so at once, with the way out, not only in the summary. */
    @Override
    public synchronized void onEvent(EventRecord event) {
      if (event.kind() != EventKind.HELD) return;
      if (terminal && !last.isEmpty()) out.println();
      out.println(event.message());
      out.println(
          "  to release it now (retry, fail, or values measured by hand): stop this run (Ctrl-C), start 'labloop daemon --lab "
              + campaign.lab().file()
              + "' on the same --data folder, 'labloop submit "
              + campaign.file()
              + "' (the daemon resumes this run), then 'labloop release "
              + RunId.of(event.runId()).api()
              + " "
              + event.seq().orElse(0)
              + " --retry | --fail | --value OBJECTIVE=NUMBER'");
      last = "";
    }

    synchronized void finish() {
      if (terminal) out.println();
    }
  }
}
