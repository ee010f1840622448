package io.labloop.drivers.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.mqtt.MqttSettings.MqttCommand;
import io.labloop.drivers.support.CommandRunner;
import io.labloop.drivers.support.CommandRunner.Outcome;
import io.labloop.drivers.support.SharedTimer;
import io.labloop.drivers.support.StatusTracker;
import io.labloop.drivers.support.Template;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An instrument reached by MQTT 5 request/response, on a connection shared through {@link Bridges}.
 */
final class MqttInstrument implements Instrument {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final MqttSettings settings;
  private final Bridges bridges;
  private final MqttBridge bridge;
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner;
  private final MqttBridge.Listener listener =
      new MqttBridge.Listener() {
        @Override
        public void online() {
          status.online();
        }

        @Override
        public void offline(InstrumentStatus.ReasonKind kind, String reason) {
          status.offline(kind, reason);
        }

        @Override
        public void error(InstrumentStatus.ReasonKind kind, String reason) {
          status.error(kind, reason);
        }
      };

  /**
   * @param dataDir the instrument's data folder; the connection it opens (if it is the first on its
   *     broker) keeps its files under {@code mqtt/} there
   */
  MqttInstrument(String name, MqttSettings settings, Bridges bridges, java.nio.file.Path dataDir) {
    this.name = name;
    this.settings = settings;
    this.bridges = bridges;
    this.bridge =
        bridges.acquire(
            settings.bridgeKey(),
            MqttBridge.class,
            () -> new MqttBridge(settings, dataDir.resolve("mqtt")));
    this.runner = new CommandRunner(name, SharedTimer.acquire(bridges).scheduler(), status);
    for (MqttCommand c : settings.commands().values()) bridge.addResponseTopic(responseTopic(c));
    bridge.addListener(listener);
  }

  private String responseTopic(MqttCommand c) {
    return c.responseTopic().orElseGet(bridge::defaultResponseTopic);
  }

  /** The shared client this instrument uses (tests check that neighbours share it). */
  MqttBridge bridge() {
    return bridge;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return bridge
        .connect()
        .handle(
            (v, e) -> {
              if (e == null) return null;
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              InstrumentStatus.ReasonKind kind =
                  cause instanceof MqttBridge.ConnectFailure f
                      ? f.kind
                      : InstrumentStatus.ReasonKind.BRIDGE_DOWN;
              if (cause instanceof MqttBridge.ConnectFailure f && f.permanent)
                status.error(kind, cause.getMessage());
              else status.offline(kind, cause.getMessage());
              throw new CompletionException(
                  new InstrumentError.Disconnected(name, "connect", cause.getMessage(), cause));
            });
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    MqttCommand cmd = settings.commands().get(command.name());
    if (cmd == null) return runner.unknown(command, settings.commands().keySet());
    return runner.run(
        command,
        cmd.policy(),
        (c, timeout) -> {
          byte[] payload = payload(cmd, c.arguments());
          CompletableFuture<byte[]> reply =
              bridge.request(cmd.requestTopic(), payload, responseTopic(cmd));
          // The runner completes this very future on timeout; the bridge then forgets the request.
          CompletableFuture<Outcome> outcome = new CompletableFuture<>();
          reply.whenComplete(
              (bytes, e) -> {
                if (e != null) {
                  outcome.completeExceptionally(
                      new InstrumentError.Disconnected(name, cmd.name(), e.getMessage(), e));
                  return;
                }
                try {
                  outcome.complete(MqttReplies.parse(name, cmd, bytes));
                } catch (InstrumentError err) {
                  outcome.completeExceptionally(err);
                }
              });
          outcome.whenComplete(
              (o, e) -> {
                if (e != null) reply.completeExceptionally(e);
              });
          return outcome;
        });
  }

  private static byte[] payload(MqttCommand cmd, Map<String, Object> arguments) {
    Object tree = cmd.payload().map(p -> Template.renderTree(p, arguments)).orElse(arguments);
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write the payload as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    return CompletableFuture.failedFuture(
        new InstrumentError.Refused(
            name,
            "read " + variable,
            "an MQTT instrument has no variables to read; define a command that asks for the value instead"));
  }

  @Override
  public InstrumentStatus status() {
    return status.status();
  }

  @Override
  public void close() {
    bridge.removeListener(listener);
    status.offline(InstrumentStatus.ReasonKind.GONE, "closed");
    bridges.release(settings.bridgeKey());
    bridges.release(SharedTimer.KEY);
  }
}
