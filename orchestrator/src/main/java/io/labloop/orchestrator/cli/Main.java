package io.labloop.orchestrator.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The {@code labloop} command: the one place that lists the subcommands. */
@Command(
    name = "labloop",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs self-driving-lab campaigns: instruments over OPC UA, serial and MQTT,",
      "a planner that picks the next conditions, and a virtual lab to try it all without hardware.",
      ""
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit codes: 0 ok, 1 campaign or run failure, 2 bad input or usage;",
      "130 a run stopped by Ctrl-C (143 by SIGTERM): the same command resumes it.",
      "Run 'labloop help COMMAND' for one command's options."
    },
    subcommands = {
      HelpCommand.class,
      DemoCommand.class,
      ValidateCommand.class,
      RunCommand.class,
      SimCommand.class,
      AgentCommand.class,
      ExportCommand.class,
      ReportCommand.class,
      ImportCommand.class,
      BenchCommand.class,
      VersionCommand.class,
      DaemonCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      AbortCommand.class,
      ApproveCommand.class,
      SuggestCommand.class,
      WhyCommand.class,
      ReleaseCommand.class,
      ReloadCommand.class
    })
public final class Main implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExitCodeExceptionMapper(
        t -> t instanceof UserError u ? u.exitCode() : ExitCodes.FAILURE);
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("labloop: " + ex.getMessage());
          boolean root = c.getParent() == null;
          c.getErr()
              .println(
                  root
                      ? "Try 'labloop --help' for the commands."
                      : "Try 'labloop help " + c.getCommandName() + "' for its options.");
          return ExitCodes.BAD_INPUT;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (ex instanceof UserError u) {
            c.getErr().println("labloop " + c.getCommandName() + ": " + u.getMessage());
            log.debug("user error", ex);
            return u.exitCode();
          }
          c.getErr()
              .println(
                  "labloop "
                      + c.getCommandName()
                      + ": "
                      + ex
                      + " (details in labloop-data/logs/labloop.log)");
          log.error("command failed", ex);
          return ExitCodes.FAILURE;
        });
    return cmd.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"labloop " + VersionCommand.version()};
    }
  }
}
