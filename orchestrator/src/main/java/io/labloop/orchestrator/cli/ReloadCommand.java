package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.api.ReloadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code labloop reload}: the daemon re-reads its lab file (as on SIGHUP). */
@Command(
    name = "reload",
    description = {
      "Make the running daemon re-read its lab file.",
      "Idle instruments take the change at once, busy ones after their running step;",
      "a bad file, or one a running campaign no longer fits, is rejected with",
      "file:line:column messages and nothing changes."
    })
public final class ReloadCommand implements Callable<Integer> {
  @Mixin DaemonOptions daemon;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    ReloadResult r = daemon.call(err, d -> d.reload());
    if (!r.applied()) {
      r.problems().forEach(err::println);
      err.flush();
      throw new UserError(r.file() + " rejected; the daemon keeps its running configuration");
    }
    out.println("reloaded " + r.file() + (r.changes().isEmpty() ? ": no instrument changed" : ""));
    r.changes().forEach(c -> out.println("  " + c));
    return ExitCodes.OK;
  }
}
