package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.AgentView;
import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import io.labloop.orchestrator.api.InstrumentView;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labloop status [CAMPAIGN]}: what the daemon is doing. */
@Command(
    name = "status",
    description = {
      "Show the daemon's campaigns and instruments, or one campaign.",
      "For one campaign: its progress, latest experiments and waiting approvals."
    })
public final class StatusCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "CAMPAIGN",
      arity = "0..1",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Option(
      names = "--last",
      defaultValue = "10",
      paramLabel = "N",
      description = "Experiments to show (default: ${DEFAULT-VALUE}).")
  int last;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (campaign == null) {
      List<CampaignView> all = daemon.call(err, d -> d.campaigns());
      List<InstrumentView> instruments = daemon.call(err, d -> d.instruments());
      out.println(
          all.isEmpty()
              ? "no campaigns"
              : String.format(
                  "%-28s %-24s %-10s %-20s %9s  %s",
                  "ID", "CAMPAIGN", "STATUS", "DRIVEN BY", "DONE", "BEST"));
      for (CampaignView c : all) {
        out.println(
            String.format(
                "%-28s %-24s %-10s %-20s %9s  %s%s",
                c.id(),
                c.name(),
                c.status(),
                c.drivenBy() == null ? "-" : c.drivenBy(),
                progress(c),
                best(c.best()),
                c.experimentsHeld() > 0
                    ? "  [" + c.experimentsHeld() + " held: labloop release " + c.id() + "]"
                    : ""));
      }
      out.println();
      for (InstrumentView i : instruments) {
        out.println(
            String.format(
                "%-16s %-8s %-8s busy %d, queued %d%s",
                i.name(),
                i.driver(),
                i.status(),
                i.busy(),
                i.queued(),
                (i.agent() == null ? "" : "  on agent " + i.agent())
                    + (i.lastError() == null || i.lastError().isEmpty()
                        ? ""
                        : "  last error: " + i.lastError())));
      }
      // only a lab with instruments on other PCs has agents (and a daemon older than the agents'
      // API sends no agent field, so it is not asked)
      if (instruments.stream().anyMatch(i -> i.agent() != null)) {
        List<AgentView> agents = daemon.call(err, d -> d.agents());
        out.println();
        out.println("AGENTS");
        agents.forEach(a -> out.println(agentLine(a)));
      }
      return ExitCodes.OK;
    }
    CampaignView c = daemon.call(err, d -> d.find(campaign));
    List<ExperimentView> experiments = daemon.call(err, d -> d.experiments(c.id()));
    List<ApprovalView> waiting = daemon.call(err, d -> d.approvals(c.id()));
    out.println(
        c.name()
            + " ("
            + c.id()
            + "): "
            + c.status()
            + (c.stopReason() != null ? " (" + c.stopReason() + ")" : "")
            + (c.drivenBy() == null
                ? ""
                : (c.status().equals("RUNNING") || c.status().equals("PAUSED")
                        ? "; driven by "
                        : "; last driven by ")
                    + c.drivenBy())
            + (c.runningHere() || c.status().equals("SCHEDULED") || c.status().equals("RUNNING")
                ? ""
                : c.status().equals("STOPPED")
                    ? "; not run by this daemon (a 'labloop run' may run it; 'labloop submit FILE' continues it here)"
                    : ""));
    out.println(
        "  experiments "
            + progress(c)
            + ", failed "
            + c.experimentsFailed()
            + (c.approval() == null ? "" : ", approval " + c.approval().toLowerCase())
            + (c.schedule() != null ? ", schedule " + c.schedule() : ""));
    out.println("  best " + best(c.best()));
    for (ExperimentView e :
        experiments.subList(Math.max(0, experiments.size() - last), experiments.size())) {
      out.println(
          String.format(
              "  #%-4d %-12s %s -> %s%s",
              e.seq(),
              e.status(),
              e.requested(),
              e.objectives() == null ? "-" : e.objectives(),
              e.cause() == null ? "" : "  (" + e.cause() + ")"));
    }
    experiments.stream()
        .filter(e -> "HELD".equals(e.status()))
        .forEach(e -> out.println(ReleaseCommand.heldLine(c.id(), e)));
    for (ApprovalView a : waiting) {
      out.println(
          String.format(
              "  waiting #%d %s  [%s: %s]  approve: labloop approve %s %d",
              a.seq(), a.point(), a.planner(), a.reason(), c.id(), a.seq()));
    }
    return ExitCodes.OK;
  }

  /** One agent: name, state (with why it is offline), heartbeat age, instruments. */
  static String agentLine(AgentView a) {
    return String.format(
        "%-16s %-8s last heartbeat %s  instruments %s%s",
        a.name(),
        a.online() ? "ONLINE" : "OFFLINE",
        a.heartbeatAgeSeconds() == null
            ? "never"
            : String.format(java.util.Locale.ROOT, "%.1f s ago", a.heartbeatAgeSeconds()),
        a.instruments().isEmpty() ? "-" : String.join(", ", a.instruments()),
        a.online() ? "" : "  (" + a.reason() + ")");
  }

  private static String progress(CampaignView c) {
    return c.experimentsReached() + (c.budget() == null ? "" : "/" + c.budget());
  }

  static String best(Map<String, Object> best) {
    if (best == null || best.isEmpty()) return "-";
    return best.entrySet().stream()
        .map(e -> e.getKey() + "=" + CampaignSession.format(e.getValue()))
        .collect(Collectors.joining(" "));
  }
}
