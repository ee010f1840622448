package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.api.ExperimentView;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop suggest CAMPAIGN --point NAME=VALUE,...}: a researcher's own conditions run next
 * in a campaign the daemon runs. The daemon checks them like any suggestion (ranges, which are
 * within the instruments' limits, and constraints) and stores them as chosen by a person.
 */
@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = {
      "Run your own conditions next in a running campaign (checked like any suggestion, marked human-chosen).",
      "Example: labloop suggest silver-nanoparticles --point temperature=120,time=30,concentration=0.5,solvent=water"
    })
public final class SuggestCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "CAMPAIGN",
      description = "A campaign's id or name (the newest run of that name).")
  String campaign;

  @Option(
      names = "--point",
      required = true,
      split = ",",
      paramLabel = "NAME=VALUE",
      description = "Every parameter's value, e.g. temperature=120,solvent=water.")
  List<String> point;

  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> values = new LinkedHashMap<>();
    for (String kv : point) {
      String[] parts = kv.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new UserError("--point: '" + kv + "' is not NAME=VALUE (e.g. temperature=120)");
      }
      String v = parts[1].strip();
      Object value = v;
      try {
        value = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        // a categorical value stays text
      }
      if (values.put(parts[0].strip(), value) != null)
        throw new UserError("--point: '" + parts[0].strip() + "' is given twice");
    }
    CampaignView c = daemon.call(err, d -> d.find(campaign));
    ExperimentView e = daemon.call(err, d -> d.suggest(c.id(), values));
    out.println("planned #" + e.seq() + " of " + c.id() + " (chosen by you): " + e.requested());
    return ExitCodes.OK;
  }
}
