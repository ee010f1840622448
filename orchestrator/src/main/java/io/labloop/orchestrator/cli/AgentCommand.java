package io.labloop.orchestrator.cli;

import io.labloop.drivers.Drivers;
import io.labloop.orchestrator.agent.BrokerSettings;
import io.labloop.orchestrator.agent.InstrumentAgent;
import io.labloop.orchestrator.config.ConfigException;
import io.labloop.orchestrator.config.ConfigLoader;
import io.labloop.orchestrator.config.LabConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code labloop agent LAB.yaml --name NAME --broker URL}: on an instrument PC, opens the
 * instruments of the lab file marked {@code agent: NAME} and offers them on the broker until Ctrl-C
 * or SIGTERM (see {@link InstrumentAgent} and docs/multi-pc.md). The password comes from a file or
 * {@code LABLOOP_AGENT_PASSWORD}, never from the command line, where {@code ps} would show it.
 */
@Command(
    name = "agent",
    description = {
      "Offer the instruments of a lab file marked 'agent: NAME' on an MQTT 5 broker, for a daemon"
          + " on another PC, until Ctrl-C."
    })
public final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LAB.yaml", description = "The lab file.")
  Path labFile;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "This agent's name: the instruments marked agent: NAME are its own.")
  String name;

  @Option(
      names = "--broker",
      required = true,
      paramLabel = "URL",
      description = "The broker, tcp://HOST:1883 or ssl://HOST:8883.")
  String broker;

  @Option(
      names = "--username",
      paramLabel = "USER",
      description = "User name at the broker (with the documented access list: the agent's name).")
  String username;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "A file holding the password (else LABLOOP_AGENT_PASSWORD, if set).")
  Path passwordFile;

  @Option(names = "--ca", paramLabel = "PEM", description = "Trust only these broker certificates.")
  Path ca;

  @Option(
      names = "--cert",
      paramLabel = "PEM",
      description = "This PC's client certificate (TLS client authentication).")
  Path cert;

  @Option(names = "--key", paramLabel = "PEM", description = "Its PKCS#8 private key.")
  Path key;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "How often the agent says it is alive (default: ${DEFAULT-VALUE}).")
  String heartbeat;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "labloop-data",
      description = "Where the agent keeps its journal (default: ${DEFAULT-VALUE}).")
  Path data;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(labFile)) throw new UserError(labFile + ": no such file");
    LabConfig lab;
    try {
      lab = ConfigLoader.standard().loadLab(labFile);
    } catch (ConfigException e) {
      throw new UserError(e.getMessage());
    }
    BrokerSettings settings;
    try {
      settings =
          new BrokerSettings(
              broker,
              Optional.ofNullable(username),
              password(),
              Optional.ofNullable(ca),
              Optional.ofNullable(cert),
              Optional.ofNullable(key),
              io.labloop.orchestrator.config.DurationText.parse(heartbeat));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    InstrumentAgent agent;
    try {
      agent = new InstrumentAgent(name, lab, settings, data, Drivers.standard());
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new UserError(e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    PrintWriter out = spec.commandLine().getOut();
    try {
      agent.start(Duration.ofSeconds(20));
    } catch (IOException e) {
      agent.close();
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    agent.close();
                    out.println("agent " + name + " stopped");
                    out.flush();
                  } finally {
                    stopped.countDown();
                  }
                },
                "labloop-agent-shutdown"));
    out.println(
        "agent "
            + name
            + " online on "
            + broker
            + " with "
            + String.join(", ", agent.instruments()));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private Optional<String> password() {
    if (passwordFile != null) {
      try {
        return Optional.of(Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new UserError(
            "--password-file " + passwordFile + ": cannot read it: " + e.getMessage());
      }
    }
    return Optional.ofNullable(System.getenv("LABLOOP_AGENT_PASSWORD"));
  }
}
