package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.ConfigProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop validate FILE...}: checks lab and campaign files (told apart by their top key)
 * without touching an instrument, and prints every problem as {@code FILE:LINE:COLUMN: error: ...}.
 */
@Command(
    name = "validate",
    description = {
      "Check lab and campaign files without touching an instrument.",
      "A campaign is checked together with its lab and candidate file. Every problem is",
      "printed as FILE:LINE:COLUMN: error: what is wrong (expected ...)."
    },
    footer = {"", "Exit codes: 0 every file is fine, 2 at least one problem."})
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "lab.yaml or campaign.yaml files")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigLoader loader = ConfigLoader.standard();
    // A lab checked on its own and again through a campaign reports its problems once.
    Set<String> printed = new LinkedHashSet<>();
    int bad = 0;
    for (Path file : files) {
      List<ConfigProblem> problems = loader.validate(file);
      if (problems.isEmpty()) {
        out.println(file + ": ok");
      } else {
        bad++;
        for (ConfigProblem p : problems) {
          if (printed.add(p.toString())) err.println(p);
        }
      }
    }
    out.flush();
    err.flush();
    if (bad > 0) {
      err.println(
          printed.size()
              + (printed.size() == 1 ? " problem" : " problems")
              + " in "
              + bad
              + (bad == 1 ? " file" : " files"));
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    return ExitCodes.OK;
  }
}
