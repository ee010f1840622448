package io.labloop.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code labloop version}: the LabLoop version, Java runtime and OS, for bug reports. */
@Command(name = "version", description = "Print the LabLoop version, the Java runtime and the OS.")
public final class VersionCommand implements Callable<Integer> {

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  @Override
  public Integer call() {
    System.out.println("labloop " + version());
    System.out.println(
        "java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")");
    System.out.println("os " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return ExitCodes.OK;
  }
}
