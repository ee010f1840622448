package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.ApiProblem;
import io.labloop.orchestrator.api.CampaignView;
import io.labloop.orchestrator.client.ClientSettings;
import io.labloop.orchestrator.client.DaemonUnreachable;
import io.labloop.orchestrator.client.LabLoopClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a running daemon shares, and the one place that turns the
 * daemon's refusals into CLI messages and exit codes (a refused request: 2; no daemon or a failure
 * on its side: 1).
 */
final class DaemonOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The daemon (default: $LABLOOP_URL, DATA/url, else http://127.0.0.1:8080).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token for changes (default: $LABLOOP_TOKEN, else DATA/token).")
  String token;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "labloop-data",
      description =
          "The daemon's data folder, where it writes url and token (default: ${DEFAULT-VALUE}).")
  Path data;

  LabLoopClient client() {
    try {
      return new LabLoopClient(ClientSettings.resolve(url, token, data, System.getenv()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** Runs one call, printing a refused file's problems (one per line) before the summary. */
  <T> T call(PrintWriter err, Function<LabLoopClient, T> call) {
    LabLoopClient c = client();
    try {
      return call.apply(c);
    } catch (ApiProblem p) {
      p.problems().forEach(err::println);
      err.flush();
      int code =
          p.status() >= 400 && p.status() < 500 && p.status() != 409
              ? ExitCodes.BAD_INPUT
              : ExitCodes.FAILURE;
      String hint =
          p.status() == 401
              ? " (give --token, set LABLOOP_TOKEN, or run where DATA/token is readable)"
              : "";
      throw new UserError(p.detail() + hint, code);
    } catch (DaemonUnreachable e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
  }

  /**
   * Applies one change (pause, resume, ...) to the campaign named on the command line and prints
   * its new status: the whole of the simple state-change commands.
   */
  int changeCampaign(
      CommandSpec spec, String campaign, BiFunction<LabLoopClient, String, CampaignView> change) {
    CampaignView c = call(spec.commandLine().getErr(), d -> change.apply(d, d.find(campaign).id()));
    spec.commandLine()
        .getOut()
        .println(c.name() + " (" + c.id() + "): " + c.status().toLowerCase());
    return ExitCodes.OK;
  }
}
