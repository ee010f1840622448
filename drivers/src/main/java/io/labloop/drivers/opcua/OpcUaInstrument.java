package io.labloop.drivers.opcua;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.opcua.OpcUaSettings.OpcUaCommand;
import io.labloop.drivers.opcua.OpcUaSettings.Until;
import io.labloop.drivers.opcua.OpcUaSettings.Write;
import io.labloop.drivers.support.CommandRunner;
import io.labloop.drivers.support.CommandRunner.Outcome;
import io.labloop.drivers.support.SharedTimer;
import io.labloop.drivers.support.StatusTracker;
import io.labloop.drivers.support.Template;
import io.labloop.drivers.support.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instrument behind an OPC UA server. A command runs its steps in order (writes, method call,
 * trigger, wait, reads), each step only after the previous one succeeded; the first Bad status ends
 * the command as refused, naming the step and the status code.
 */
final class OpcUaInstrument implements Instrument {

  private static final Logger log = LoggerFactory.getLogger(OpcUaInstrument.class);
  static final Set<Long> CONNECTION_LOST =
      Set.of(
          StatusCodes.Bad_ConnectionClosed,
          StatusCodes.Bad_SessionClosed,
          StatusCodes.Bad_SessionIdInvalid,
          StatusCodes.Bad_SecureChannelClosed,
          StatusCodes.Bad_SecureChannelIdInvalid,
          StatusCodes.Bad_NotConnected,
          StatusCodes.Bad_ServerNotConnected,
          StatusCodes.Bad_CommunicationError,
          StatusCodes.Bad_TcpInternalError,
          StatusCodes.Bad_Shutdown,
          StatusCodes.Bad_ServerHalted,
          StatusCodes.Bad_SessionNotActivated,
          StatusCodes.Bad_NoCommunication);

  private final String name;
  private final OpcUaSettings settings;
  private final Bridges bridges;
  private final OpcUaConnection connection;
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner;

  /**
   * Waits in progress; failed at once when the session is lost instead of running into their
   * timeout.
   */
  private final Set<CompletableFuture<?>> waits = ConcurrentHashMap.newKeySet();

  private final OpcUaConnection.Listener listener =
      new OpcUaConnection.Listener() {
        @Override
        public void online() {
          status.online();
        }

        @Override
        public void offline(InstrumentStatus.ReasonKind kind, String reason) {
          status.offline(kind, reason);
          waits.forEach(
              w ->
                  w.completeExceptionally(
                      new UaException(StatusCodes.Bad_ConnectionClosed, reason)));
        }

        @Override
        public void error(InstrumentStatus.ReasonKind kind, String reason) {
          status.error(kind, reason);
        }
      };

  OpcUaInstrument(String name, OpcUaSettings settings, Bridges bridges) {
    this.name = name;
    this.settings = settings;
    this.bridges = bridges;
    this.connection =
        bridges.acquire(
            settings.bridgeKey(), OpcUaConnection.class, () -> new OpcUaConnection(settings));
    this.runner = new CommandRunner(name, SharedTimer.acquire(bridges).scheduler(), status);
    connection.addListener(listener);
  }

  /** The shared session this instrument uses (tests check that neighbours share it). */
  OpcUaConnection connection() {
    return connection;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return connection
        .client()
        .handle(
            (c, e) -> {
              if (e != null) throw new CompletionException(map("connect", e));
              status.online();
              return null;
            });
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    OpcUaCommand cmd = settings.commands().get(command.name());
    if (cmd == null) return runner.unknown(command, settings.commands().keySet());
    return runner.run(
        command,
        cmd.policy(),
        (c, timeout) -> {
          // Everything that can be wrong with the arguments is found before the first write.
          List<NodeId> writeNodes = new ArrayList<>();
          List<DataValue> writeValues = new ArrayList<>();
          for (Write w : cmd.writes()) {
            writeNodes.add(w.node());
            writeValues.add(DataValue.valueOnly(variant(w, c.arguments())));
          }
          Variant[] inputs =
              cmd.inputs().stream()
                  .map(
                      in ->
                          OpcUaValues.toVariant(
                              "argument '" + in.name() + "'",
                              argument(in.name(), c.arguments()),
                              in.type()))
                  .toArray(Variant[]::new);
          DataValue triggerValue =
              cmd.trigger().map(t -> DataValue.valueOnly(variant(t, c.arguments()))).orElse(null);

          CompletableFuture<Outcome> outcome = new CompletableFuture<>();
          Map<String, Object> outputs = new LinkedHashMap<>();
          connection
              .client()
              .thenCompose(
                  client ->
                      writes(client, "write", writeNodes, writeValues)
                          .thenCompose(x -> call(client, cmd, inputs, outputs))
                          .thenCompose(
                              x ->
                                  cmd.trigger().isEmpty()
                                      ? done()
                                      : writes(
                                          client,
                                          "trigger",
                                          List.of(cmd.trigger().get().node()),
                                          List.of(triggerValue)))
                          .thenCompose(
                              x ->
                                  cmd.until().isEmpty()
                                      ? done()
                                      : until(client, cmd.until().get(), outcome))
                          .thenCompose(x -> reads(client, cmd, outputs)))
              .whenComplete(
                  (x, e) -> {
                    if (e != null) outcome.completeExceptionally(map(cmd.name(), e));
                    else outcome.complete(Outcome.of(outputs));
                  });
          return outcome;
        });
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private static Object argument(String name, Map<String, Object> arguments) {
    Object v = arguments.get(name);
    if (v == null)
      throw new IllegalArgumentException(
          "the method needs argument '" + name + "' but the command has " + arguments.keySet());
    return v;
  }

  private static Variant variant(Write w, Map<String, Object> arguments) {
    Object value = Template.renderTree(w.value(), arguments);
    return OpcUaValues.toVariant("value for " + w.node().toParseableString(), value, w.type());
  }

  private CompletableFuture<Void> writes(
      OpcUaClient client, String step, List<NodeId> nodes, List<DataValue> values) {
    if (nodes.isEmpty()) return done();
    return client
        .writeValuesAsync(nodes, values)
        .thenAccept(
            codes -> {
              for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isBad())
                  throw new CompletionException(
                      refusedStep(step + " " + nodes.get(i).toParseableString(), codes.get(i)));
              }
            });
  }

  private CompletableFuture<Void> call(
      OpcUaClient client, OpcUaCommand cmd, Variant[] inputs, Map<String, Object> outputs) {
    if (cmd.method().isEmpty()) return done();
    CallMethodRequest request =
        new CallMethodRequest(cmd.object().get(), cmd.method().get(), inputs);
    return client
        .callAsync(List.of(request))
        .thenAccept(
            response -> {
              CallMethodResult result = response.getResults()[0];
              if (result.getStatusCode().isBad()) {
                throw new CompletionException(
                    refusedStep(
                        "method " + cmd.method().get().toParseableString(),
                        result.getStatusCode()));
              }
              Variant[] out =
                  result.getOutputArguments() == null
                      ? new Variant[0]
                      : result.getOutputArguments();
              if (out.length < cmd.methodOutputs().size()) {
                throw new CompletionException(
                    new InstrumentError.BadReply(
                        name,
                        cmd.name(),
                        "the method returned "
                            + out.length
                            + " output argument(s) but the lab file names "
                            + cmd.methodOutputs().size()
                            + ": "
                            + cmd.methodOutputs()));
              }
              for (int i = 0; i < cmd.methodOutputs().size(); i++) {
                outputs.put(
                    cmd.methodOutputs().get(i), value(cmd, cmd.methodOutputs().get(i), out[i]));
              }
            });
  }

  /**
   * Waits through a subscription until the variable equals the wanted value (the current value
   * counts).
   */
  private CompletableFuture<Void> until(
      OpcUaClient client, Until until, CompletableFuture<Outcome> command) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    waits.add(reached);
    // When the command ends for any reason (also its timeout), the wait ends with it.
    command.whenComplete(
        (o, e) ->
            reached.completeExceptionally(
                new java.util.concurrent.CancellationException("command ended")));
    OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
    connection
        .blocking()
        .execute(
            () -> {
              try {
                subscription.create();
                OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(until.node());
                item.setSamplingInterval(20.0);
                item.setDataValueListener(
                    (it, value) -> {
                      if (value.getStatusCode() != null && value.getStatusCode().isBad()) return;
                      if (matches(
                          OpcUaValues.fromVariant(value.getValue()).orElse(null), until.equals()))
                        reached.complete(null);
                    });
                subscription.addMonitoredItem(item);
                subscription.synchronizeMonitoredItems();
                item.getCreateResult()
                    .filter(StatusCode::isBad)
                    .ifPresent(
                        bad ->
                            reached.completeExceptionally(
                                refusedStep("until " + until.node().toParseableString(), bad)));
              } catch (Exception e) {
                reached.completeExceptionally(e);
              }
            });
    reached.whenComplete(
        (x, e) -> {
          waits.remove(reached);
          connection
              .blocking()
              .execute(
                  () -> {
                    try {
                      subscription.delete();
                    } catch (Exception ignored) {
                      // the session may be gone, and the server deletes the subscription with it
                    }
                  });
        });
    return reached;
  }

  private Object value(OpcUaCommand cmd, String output, Variant v) {
    return OpcUaValues.fromVariant(v)
        .orElseThrow(
            () ->
                new CompletionException(
                    new InstrumentError.BadReply(
                        name,
                        cmd.name(),
                        "output '"
                            + output
                            + "' is "
                            + OpcUaValues.kindOf(v)
                            + ", not a number, text or true/false")));
  }

  static boolean matches(Object value, String wanted) {
    if (value == null) return false;
    if (value instanceof Number n) {
      Object w = Values.fromText(wanted);
      if (w instanceof Double d) return n.doubleValue() == d;
    }
    return Values.toText(value).equals(wanted);
  }

  private CompletableFuture<Void> reads(
      OpcUaClient client, OpcUaCommand cmd, Map<String, Object> outputs) {
    if (cmd.reads().isEmpty()) return done();
    List<String> names = new ArrayList<>(cmd.reads().keySet());
    List<NodeId> nodes = names.stream().map(cmd.reads()::get).toList();
    return client
        .readValuesAsync(0.0, TimestampsToReturn.Neither, nodes)
        .thenAccept(
            values -> {
              for (int i = 0; i < values.size(); i++) {
                DataValue v = values.get(i);
                if (v.getStatusCode() != null && v.getStatusCode().isBad()) {
                  throw new CompletionException(
                      refusedStep("read " + nodes.get(i).toParseableString(), v.getStatusCode()));
                }
                outputs.put(names.get(i), value(cmd, names.get(i), v.getValue()));
              }
            });
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    NodeId node = settings.variables().get(variable);
    if (node == null) {
      return CompletableFuture.failedFuture(
          new InstrumentError.Refused(
              name,
              "read " + variable,
              "no such variable; this instrument has " + settings.variables().keySet()));
    }
    return connection
        .client()
        .thenCompose(c -> c.readValuesAsync(0.0, TimestampsToReturn.Neither, List.of(node)))
        .handle(
            (values, e) -> {
              if (e != null) throw new CompletionException(map("read " + variable, e));
              DataValue v = values.get(0);
              if (v.getStatusCode() != null && v.getStatusCode().isBad()) {
                throw new CompletionException(
                    new InstrumentError.Refused(
                        name,
                        "read " + variable,
                        "the server answered " + OpcUaValues.describe(v.getStatusCode())));
              }
              return OpcUaValues.fromVariant(v.getValue())
                  .orElseThrow(
                      () ->
                          new CompletionException(
                              new InstrumentError.BadReply(
                                  name,
                                  "read " + variable,
                                  "the variable holds "
                                      + OpcUaValues.kindOf(v.getValue())
                                      + ", not a number, text or true/false")));
            });
  }

  /** A Bad status from one step; the message names the step so an engineer can find the node. */
  private UaException refusedStep(String step, StatusCode code) {
    return new UaException(code, step + ": the server answered " + OpcUaValues.describe(code));
  }

  /** Every failure to exactly one error kind. */
  private InstrumentError map(String command, Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof InstrumentError e) return e;
    if (t instanceof OpcUaConnection.ConnectFailure f)
      return new InstrumentError.Disconnected(name, command, f.getMessage(), f);
    if (t instanceof IllegalArgumentException)
      return new InstrumentError.Refused(name, command, "not sent: " + t.getMessage());
    StatusCode code = UaException.extractStatusCode(t).orElse(null);
    if (code == null)
      return new InstrumentError.Disconnected(name, command, String.valueOf(t.getMessage()), t);
    long v = code.getValue();
    if (v == StatusCodes.Bad_Timeout || v == StatusCodes.Bad_RequestTimeout) {
      return new InstrumentError.Timeout(
          name, command, "the server did not answer in time (" + OpcUaValues.describe(code) + ")");
    }
    if (CONNECTION_LOST.contains(v)) {
      return new InstrumentError.Disconnected(
          name,
          command,
          "lost the connection to " + settings.endpoint() + " (" + OpcUaValues.describe(code) + ")",
          t);
    }
    String message =
        t.getMessage() != null && t.getMessage().contains("the server answered")
            ? t.getMessage()
            : "the server answered " + OpcUaValues.describe(code);
    log.debug("{}.{} refused", name, command, t);
    return new InstrumentError.Refused(name, command, message);
  }

  @Override
  public InstrumentStatus status() {
    return status.status();
  }

  @Override
  public void close() {
    connection.removeListener(listener);
    status.offline(InstrumentStatus.ReasonKind.GONE, "closed");
    bridges.release(settings.bridgeKey());
    bridges.release(SharedTimer.KEY);
  }
}
