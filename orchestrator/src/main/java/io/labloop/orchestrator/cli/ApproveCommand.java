package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.ApprovalView;
import io.labloop.orchestrator.api.CampaignView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop approve CAMPAIGN [N] [--reject [--reason TEXT]]}: the person in the loop of a
 * campaign with {@code approval: manual}. Without N it lists what waits, with the planner's
 * reasons.
 */
@Command(
    name = "approve",
    description = {
      "List, approve or reject suggestions waiting for a person.",
      "(Campaigns with 'approval: manual'). A rejected point is fed back to the planner as infeasible."
    })
public final class ApproveCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "N",
      description = "The waiting experiment's number; omit to list.")
  Integer seq;

  @Option(names = "--reject", description = "Reject instead of approve.")
  boolean reject;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why it is rejected (kept in the audit trail).")
  String reason;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CampaignView c = daemon.call(err, d -> d.find(campaign));
    if (seq == null) {
      if (reject) throw new UserError("--reject needs the experiment's number N");
      List<ApprovalView> waiting = daemon.call(err, d -> d.approvals(c.id()));
      if (waiting.isEmpty())
        out.println(c.name() + " (" + c.id() + "): nothing waits for approval");
      for (ApprovalView a : waiting) {
        out.println("#" + a.seq() + " " + a.point());
        out.println(
            "    "
                + a.planner()
                + ": "
                + a.reason()
                + (a.acquisition() == null
                    ? ""
                    : String.format(" (acquisition %.4g)", a.acquisition()))
                + (a.predictedMean().isEmpty()
                    ? ""
                    : ", predicted " + a.predictedMean() + " +/- " + a.predictedSd()));
      }
      return ExitCodes.OK;
    }
    if (reject) {
      String why = reason == null || reason.isBlank() ? "rejected by a person" : reason;
      daemon.call(
          err,
          d -> {
            d.reject(c.id(), seq, why);
            return null;
          });
      out.println("rejected #" + seq + " of " + c.id() + ": " + why);
    } else {
      if (reason != null) throw new UserError("--reason goes with --reject");
      daemon.call(
          err,
          d -> {
            d.approve(c.id(), seq);
            return null;
          });
      out.println("approved #" + seq + " of " + c.id());
    }
    return ExitCodes.OK;
  }
}
