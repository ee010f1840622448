package io.labloop.orchestrator.childjvm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code labloop} child process: this JVM's {@code java} and class path, the
 * caller's options, then {@code io.labloop.orchestrator.cli.Main} and its arguments.
 *
 * <p>Why the options: the tests start dozens of these processes (CrashResumeIT alone twelve), each
 * living seconds, on a machine with two cores that the other test JVMs share. A child that only
 * compiles with C1 ({@code -XX:TieredStopAtLevel=1}) spends far less CPU on compiling code it will
 * run a few times, and the serial collector ({@code -XX:+UseSerialGC}) starts no GC threads; both
 * leave the program's behaviour alone. Start-up time is what these tests wait for, not throughput.
 */
public final class ChildJvm {

  /** Fast start for short-lived children (see the class comment). */
  public static final List<String> FAST_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildJvm() {}

  /** {@code java OPTIONS -cp CLASSPATH io.labloop.orchestrator.cli.Main ARGS}. */
  public static List<String> labloop(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FAST_START);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.labloop.orchestrator.cli.Main");
    command.addAll(args);
    return command;
  }
}
