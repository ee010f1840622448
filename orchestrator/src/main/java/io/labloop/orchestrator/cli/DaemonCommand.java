package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigProblem;
import io.labloop.orchestrator.daemon.DaemonConfig;
import io.labloop.orchestrator.daemon.DaemonConfigReader;
import io.labloop.orchestrator.daemon.DaemonRunner;
import io.labloop.orchestrator.lab.LabUnavailable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labloop daemon}: the engine as a long-running service with a REST API. */
@Command(
    name = "daemon",
    description = {
      "Run LabLoop as a service with a REST API on 127.0.0.1.",
      "See docs/daemon.md. Campaigns are resumed at start, SIGTERM stops gracefully, SIGHUP or 'labloop reload' re-reads the lab file."
    })
public final class DaemonCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Settings file (default: labloop.yaml in the current folder, if there is one).")
  Path configFile;

  @Option(
      names = "--lab",
      paramLabel = "FILE",
      description = "The lab file (overrides 'lab:' of the settings file).")
  Path lab;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder (default: 'data:' of the settings file, else labloop-data).")
  Path data;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "API port (default 8080; 0 picks a free one, written to DATA/url).")
  Integer port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description = "API address (default 127.0.0.1).")
  String bind;

  @Option(
      names = "--sim",
      description = "Start the lab's virtual instruments in-process (no hardware).")
  boolean sim;

  @Option(
      names = "--name",
      description =
          "This daemon's name in the store and the API, e.g. daemon-pc2 (default: 'name:' in"
              + " labloop.yaml, else HOST:PORT). Daemons sharing one PostgreSQL need distinct names.")
  String name;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DaemonConfig c;
    try {
      c = settings();
    } catch (ConfigException e) {
      e.problems().stream().sorted().map(ConfigProblem::toString).forEach(err::println);
      err.flush();
      throw new UserError("the settings have problems; the daemon did not start");
    }
    if (!Files.isRegularFile(c.lab()))
      throw new UserError("no lab file " + c.lab() + " (give --lab or 'lab:' in labloop.yaml)");
    try {
      DaemonRunner.run(
          c,
          System.getenv(),
          VersionCommand.version(),
          d -> {
            out.println(
                "labloop daemon: serving "
                    + d.url()
                    + " (lab "
                    + c.lab()
                    + ", data "
                    + c.data()
                    + ")");
            out.println(
                "  token for changes: "
                    + c.data().resolve("token")
                    + (System.getenv("LABLOOP_TOKEN") != null ? " (LABLOOP_TOKEN in use)" : ""));
            if (!d.resumed().isEmpty()) out.println("  resumed: " + String.join(", ", d.resumed()));
            out.flush();
          });
    } catch (ConfigException e) {
      e.problems().stream().sorted().map(ConfigProblem::toString).forEach(err::println);
      err.flush();
      throw new UserError("the lab file has problems; the daemon did not start");
    } catch (LabUnavailable e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    return ExitCodes.OK;
  }

  private DaemonConfig settings() {
    if (name != null && !name.matches("[A-Za-z0-9_.:@-]{1,64}"))
      throw new UserError(
          "--name '"
              + name
              + "' (expected 1 to 64 letters, digits or '.', '_', ':', '@', '-', e.g. daemon-pc2)");
    Path file = configFile;
    if (file == null && Files.isRegularFile(Path.of("labloop.yaml")))
      file = Path.of("labloop.yaml");
    if (configFile != null && !Files.isRegularFile(configFile))
      throw new UserError("no settings file " + configFile);
    DaemonConfig c;
    if (file != null) {
      c = new DaemonConfigReader(System.getenv()).read(file);
    } else {
      if (lab == null)
        throw new UserError(
            "give --lab FILE or a settings file (labloop.yaml; see config/labloop.yaml)");
      c = DaemonConfig.defaults(lab, Path.of("labloop-data"));
    }
    Path labFile = lab != null ? lab : c.lab();
    return new DaemonConfig(
        labFile,
        lab != null && file == null ? labFile.toAbsolutePath().getParent() : c.campaignDir(),
        data != null ? data : c.data(),
        sim || c.sim(),
        bind != null ? bind : c.bind(),
        port != null ? port : c.port(),
        c.maxBody(),
        c.tls(),
        c.tokens(),
        c.store(),
        c.healthEvery(),
        c.calibrations(),
        c.zone(),
        c.shutdownGrace(),
        name != null ? name : c.name());
  }
}
