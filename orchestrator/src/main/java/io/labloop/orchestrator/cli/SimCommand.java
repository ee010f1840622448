package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.LabConfig;
import io.labloop.simulators.Endpoint;
import io.labloop.simulators.SimulationSettings;
import io.labloop.simulators.VirtualLab;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop sim LAB.yaml}: plays every instrument the lab file's {@code simulation:} block
 * names, where the instrument's own section says (OPC UA endpoint, serial port path, MQTT broker),
 * until Ctrl-C or SIGTERM. The shutdown hook stops the servers and the embedded broker and removes
 * the pty links, so nothing is left listening and no stale link remains; the work folder ({@code
 * DIR/virtual-lab}: server certificate, samples, journal of received commands) is kept on purpose,
 * as a real lab keeps its samples.
 */
@Command(
    name = "sim",
    description = {
      "Start the virtual instruments a lab file's simulation block names, until Ctrl-C.",
      "They speak OPC UA, serial and MQTT 5 at the addresses the lab file gives."
    })
public final class SimCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(SimCommand.class);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "LAB.yaml",
      description = "A lab file with a simulation: block.")
  Path labFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "labloop-data",
      description =
          "Data folder; the virtual lab keeps its certificate, samples and journal in DIR/virtual-lab "
              + "(default: ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(labFile)) {
      throw new UserError(
          labFile + ": no such file (expected a lab file, e.g. config/labs/sim-lab.yaml)");
    }
    long start = System.nanoTime();
    LabConfig config;
    try {
      config = ConfigLoader.standard().loadLab(labFile);
    } catch (ConfigException e) {
      throw new UserError(e.getMessage());
    }
    if (config.simulation().isEmpty()) {
      throw new UserError(labFile + " has no simulation: block, so there is nothing to simulate");
    }
    Path workDir = data.resolve("virtual-lab");
    VirtualLab lab;
    try {
      lab = VirtualLab.start(config.tree(), labFile.toAbsolutePath().getParent(), workDir);
    } catch (SimulationSettings.InvalidSimulation e) {
      throw new UserError(labFile + ": " + e.getMessage());
    } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
      log.debug("virtual lab did not start", e);
      throw new UserError("the virtual lab did not start: " + e.getMessage(), ExitCodes.FAILURE);
    }

    CountDownLatch stopped = new CountDownLatch(1);
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    long t0 = System.nanoTime();
                    lab.close();
                    long t1 = System.nanoTime();
                    // Milo's shared Netty event loops and timers; bounded, since the JVM is on its
                    // way out anyway.
                    Stack.releaseSharedResources(500, TimeUnit.MILLISECONDS);
                    log.debug(
                        "virtual lab stopped in {} ms, OPC UA stack released in {} ms",
                        (t1 - t0) / 1_000_000,
                        (System.nanoTime() - t1) / 1_000_000);
                    out.println("virtual lab stopped");
                    out.flush();
                  } finally {
                    stopped.countDown();
                  }
                },
                "labloop-sim-shutdown"));

    out.printf(
        Locale.ROOT,
        "virtual lab %s ready in %.1f s (work folder %s):%n",
        config.name(),
        (System.nanoTime() - start) / 1e9,
        workDir);
    for (Endpoint endpoint : lab.endpoints()) {
      out.println("  " + endpoint.describe());
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
