package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop release CAMPAIGN N --retry | --fail | --value NAME=NUMBER...}: the way out for an
 * experiment HELD after a crash ({@code on-interrupt: hold}). Without N it lists the held
 * experiments of the campaign. The daemon must run the campaign (see the description).
 */
@Command(
    name = "release",
    sortOptions = false,
    description = {
      "Release an experiment held after a crash (on-interrupt: hold), once a person has checked the instrument and the sample.",
      "--retry runs its conditions again as a new experiment (counted against the budget); --fail marks it failed (the planner "
          + "learns the point as a failure); --value records what was measured by hand as its result. Without N: list the held ones.",
      "Talks to the daemon. A campaign run with 'labloop run': stop it, start 'labloop daemon' on the same data folder and "
          + "'labloop submit' the campaign file (the run resumes there), then release."
    })
public final class ReleaseCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "N",
      description = "The held experiment's number; omit to list.")
  Integer seq;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Decision decision;

  static final class Decision {
    @Option(
        names = "--retry",
        required = true,
        description = "Run the same conditions again as a new experiment.")
    boolean retry;

    @Option(
        names = "--fail",
        required = true,
        description = "Mark it failed; the planner learns the point as a failure.")
    boolean fail;

    @Option(
        names = "--value",
        required = true,
        paramLabel = "OBJECTIVE=NUMBER",
        description =
            "A value measured by hand, one per objective (repeat: --value peak=518.2 --value fwhm=61).")
    Map<String, String> values;
  }

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why (kept with the experiment and in the audit trail).")
  String reason;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (seq != null && decision == null)
      throw new UserError(
          "say what to do with #" + seq + ": --retry, --fail or --value OBJECTIVE=NUMBER");
    if (seq == null && decision != null)
      throw new UserError(
          "give the held experiment's number N (list them with: labloop release " + campaign + ")");
    CampaignView c = daemon.call(err, d -> d.find(campaign));
    if (seq == null) {
      List<ExperimentView> held =
          daemon.call(err, d -> d.experiments(c.id())).stream()
              .filter(e -> "HELD".equals(e.status()))
              .toList();
      if (held.isEmpty()) out.println(c.name() + " (" + c.id() + "): no experiment is held");
      for (ExperimentView e : held) out.println(heldLine(c.id(), e));
      out.flush();
      return ExitCodes.OK;
    }
    String action = decision.retry ? "retry" : decision.fail ? "fail" : "measured";
    Map<String, Double> values = decision.values == null ? Map.of() : numbers(decision.values);
    ExperimentView after = daemon.call(err, d -> d.release(c.id(), seq, action, reason, values));
    switch (action) {
      case "retry" ->
          out.println(
              "released #"
                  + seq
                  + " of "
                  + c.id()
                  + ": its conditions run again as #"
                  + after.seq());
      case "fail" -> out.println("released #" + seq + " of " + c.id() + " as failed");
      default ->
          out.println(
              "released #"
                  + seq
                  + " of "
                  + c.id()
                  + " with the values measured by hand: "
                  + after.objectives());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** One held experiment and the commands that release it (also used by {@code labloop status}). */
  static String heldLine(String id, ExperimentView e) {
    return String.format(
        "  held #%d %s  (%s)%n    release: labloop release %s %d --retry | --fail [--reason TEXT] | --value OBJECTIVE=NUMBER...",
        e.seq(), e.requested(), e.cause() == null ? "held" : e.cause(), id, e.seq());
  }

  private static Map<String, Double> numbers(Map<String, String> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    given.forEach(
        (name, text) -> {
          try {
            out.put(name, Double.parseDouble(text.strip()));
          } catch (NumberFormatException e) {
            throw new UserError(
                "--value " + name + "=" + text + ": '" + text + "' is not a number");
          }
        });
    return out;
  }
}
