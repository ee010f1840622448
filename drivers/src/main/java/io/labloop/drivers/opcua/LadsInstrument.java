package io.labloop.drivers.opcua;

import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.support.CommandRunner;
import io.labloop.drivers.support.CommandRunner.Outcome;
import io.labloop.drivers.support.SharedTimer;
import io.labloop.drivers.support.StatusTracker;
import io.labloop.drivers.support.Template;
import io.labloop.drivers.support.Values;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;

/**
 * A LADS device's functional unit as an instrument.
 *
 * <p>A {@code program} command: StartProgram(template id, the properties as LADS KeyValueType
 * pairs, SupervisoryJobId {@code labloop}, SupervisoryTaskId the command's name, no samples) on the
 * unit's state machine returns the DeviceProgramRunId; then every {@code poll} that run's result is
 * looked up in the ResultSet ({@link LadsResults}: by the run id as browse name, else among the
 * results new since the start by their DeviceProgramRunId) until its {@code Stopped} time is set.
 * The result's VariableSet gives the outputs, its FileSet's files (read through the OpcUa FileType
 * Open/Read/Close methods) come back as attachments with their MIME type, e.g. an Allotrope ASM
 * document. A result with a {@code Description} and no variables, or the unit going to Aborted
 * without a result, is a refusal naming the device's reason. Polling rather than a subscription,
 * because a result appears as new nodes, and a read that fails on a lost session is the
 * disconnection itself.
 *
 * <p>A {@code method} command calls Start, Stop or Abort. {@code read("State")} reads the state
 * machine's CurrentState; other variables read a function's SensorValue (or CurrentValue). Errors
 * map as for {@code driver: opcua}: a Bad status from the device is refused, a lost session is
 * disconnected, no answer in time is a timeout.
 */
final class LadsInstrument implements Instrument {

  static final int KEY_VALUE_BINARY_ENCODING = 5045;

  /**
   * Status codes by which a server refuses a request of a session it no longer has: the request did
   * nothing.
   */
  private static final java.util.Set<Long> SESSION_REJECTED =
      java.util.Set.of(
          StatusCodes.Bad_SessionIdInvalid,
          StatusCodes.Bad_SessionClosed,
          StatusCodes.Bad_SessionNotActivated);

  private final String name;
  private final LadsSettings settings;
  private final OpcUaSettings session;
  private final Bridges bridges;
  private final OpcUaConnection connection;
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner;

  /** The functional unit and what is known about its results, per connection of this instrument. */
  private final AtomicReference<LadsResults> results = new AtomicReference<>();

  private final OpcUaConnection.Listener listener =
      new OpcUaConnection.Listener() {
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

  LadsInstrument(String name, LadsSettings settings, Bridges bridges) {
    this.name = name;
    this.settings = settings;
    this.session = settings.session();
    this.bridges = bridges;
    this.connection =
        bridges.acquire(
            session.bridgeKey(), OpcUaConnection.class, () -> new OpcUaConnection(session));
    this.runner = new CommandRunner(name, SharedTimer.acquire(bridges).scheduler(), status);
    connection.addListener(listener);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return connection
        .client()
        .thenApplyAsync(
            c -> {
              try {
                unit(c);
              } catch (Exception e) {
                throw new CompletionException(map("connect", e));
              }
              status.online();
              return (Void) null;
            },
            connection.blocking())
        .handle(
            (x, e) -> {
              if (e != null) throw new CompletionException(map("connect", e));
              return null;
            });
  }

  /** The functional unit, browsed once per connection of this instrument. */
  private LadsDevice.Unit unit(OpcUaClient client) throws UaException, LadsDevice.NotLads {
    return results(client).unit();
  }

  private LadsResults results(OpcUaClient client) throws UaException, LadsDevice.NotLads {
    LadsResults r = results.get();
    if (r == null) {
      r = new LadsResults(LadsDevice.find(client, settings.device(), settings.unit()));
      results.set(r);
    }
    return r;
  }

  /** What finding results has cost on the current connection; for the tests. */
  LadsResults.Counts resultCounts() {
    LadsResults r = results.get();
    return r == null ? new LadsResults.Counts(0, 0, 0) : r.counts();
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    LadsSettings.LadsCommand cmd = settings.commands().get(command.name());
    if (cmd == null) return runner.unknown(command, settings.commands().keySet());
    return runner.run(
        command,
        cmd.policy(),
        (c, timeout) -> {
          CompletableFuture<Outcome> outcome = new CompletableFuture<>();
          connection
              .client()
              .thenAcceptAsync(
                  client -> {
                    try {
                      awaitSession(outcome);
                      LadsResults r = results(client);
                      Outcome o =
                          cmd instanceof LadsSettings.Program p
                              ? program(client, r, p, c.arguments(), outcome)
                              : stateMethod(client, r.unit(), (LadsSettings.StateMethod) cmd);
                      outcome.complete(o);
                    } catch (Exception e) {
                      outcome.completeExceptionally(map(cmd.name(), e));
                    }
                  },
                  connection.blocking())
              .exceptionally(
                  e -> {
                    outcome.completeExceptionally(map(cmd.name(), e));
                    return null;
                  });
          return outcome;
        });
  }

  private Outcome stateMethod(OpcUaClient client, LadsDevice.Unit u, LadsSettings.StateMethod m)
      throws Exception {
    NodeId method = u.methods().get(m.method());
    if (method == null)
      throw refused(m.name(), "functional unit " + u.name() + " has no " + m.method() + " method");
    call(client, u.stateMachine(), method, m.method(), new Variant[0]);
    return Outcome.of(Map.of());
  }

  private Outcome program(
      OpcUaClient client,
      LadsResults results,
      LadsSettings.Program p,
      Map<String, Object> arguments,
      CompletableFuture<Outcome> outcome)
      throws Exception {
    LadsDevice.Unit u = results.unit();
    NodeId start = u.methods().get("StartProgram");
    if (start == null)
      throw refused(p.name(), "functional unit " + u.name() + " has no StartProgram method");
    List<ExtensionObject> properties = new ArrayList<>();
    NodeId encoding = new NodeId(u.lads(), KEY_VALUE_BINARY_ENCODING);
    for (Map.Entry<String, Object> e : p.properties().entrySet()) {
      Object value = Template.renderTree(e.getValue(), arguments);
      properties.add(
          ExtensionObject.of(ByteString.of(keyValue(e.getKey(), Values.toText(value))), encoding));
    }
    Variant[] inputs =
        new Variant[] {
          new Variant(p.templateId()),
          new Variant(properties.toArray(new ExtensionObject[0])),
          new Variant("labloop"),
          new Variant(p.name()),
          new Variant(new ExtensionObject[0])
        };
    results.beforeStart(client);
    Variant[] out;
    try {
      out = call(client, u.stateMachine(), start, "StartProgram", inputs);
    } catch (UaException e) {
      // The server rejected the request for a session it no longer knows (it dropped us, and
      // Milo re-creates the session on this very error): nothing ran, so once the session
      // answers again the start is sent once more, also for a command that is not idempotent.
      if (!SESSION_REJECTED.contains(e.getStatusCode().getValue())
          || !sessionBack(client, u, outcome)) throw e;
      out = call(client, u.stateMachine(), start, "StartProgram", inputs);
    }
    if (out.length < 1 || !(out[0].getValue() instanceof String runId)) {
      throw new InstrumentError.BadReply(
          name, p.name(), "StartProgram returned no DeviceProgramRunId");
    }
    // Wait for the run's result; the runner's timeout completes `outcome`, which ends the loop.
    int abortedPolls = 0;
    while (!outcome.isDone()) {
      Optional<LadsDevice.Child> result = results.find(client, runId);
      if (result.isPresent()) {
        Map<String, LadsDevice.Child> parts =
            LadsDevice.byName(LadsDevice.children(client, result.get().id()), u.lads());
        if (parts.containsKey("Stopped") && !isNull(read(client, parts.get("Stopped").id()))) {
          return collect(client, u, p, runId, parts);
        }
      }
      if ("Aborted".equals(text(read(client, u.currentState())))) {
        if (++abortedPolls >= 3)
          throw refused(
              p.name(), "functional unit " + u.name() + " went to Aborted while running " + runId);
      }
      Thread.sleep(settings.poll().toMillis());
    }
    throw new InstrumentError.Timeout(name, p.name(), "no result for " + runId + " in time");
  }

  /**
   * After a lost session, waits (up to 5 s, or until the command ends) for Milo to re-create it
   * before anything is sent, so that the command after a drop does not fail on the old session.
   */
  private void awaitSession(CompletableFuture<Outcome> outcome) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!connection.isActive() && !outcome.isDone() && System.nanoTime() < deadline)
      Thread.sleep(settings.poll().toMillis());
  }

  /** Waits (up to 5 s, or until the command ends) for the session to answer a read again. */
  private boolean sessionBack(
      OpcUaClient client, LadsDevice.Unit u, CompletableFuture<Outcome> outcome)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!outcome.isDone() && System.nanoTime() < deadline) {
      try {
        read(client, u.currentState());
        return true;
      } catch (UaException e) {
        Thread.sleep(settings.poll().toMillis());
      }
    }
    return false;
  }

  private Outcome collect(
      OpcUaClient client,
      LadsDevice.Unit u,
      LadsSettings.Program p,
      String runId,
      Map<String, LadsDevice.Child> parts)
      throws Exception {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("runId", runId);
    if (parts.containsKey("VariableSet")) {
      for (LadsDevice.Child v : LadsDevice.children(client, parts.get("VariableSet").id())) {
        Variant value = read(client, v.id());
        Optional<Object> plain = OpcUaValues.fromVariant(value);
        if (plain.isEmpty()) {
          throw new InstrumentError.BadReply(
              name,
              p.name(),
              "result variable '"
                  + v.name().name()
                  + "' of "
                  + runId
                  + " is "
                  + OpcUaValues.kindOf(value)
                  + ", not a number, text or true/false");
        }
        outputs.put(v.name().name(), plain.get());
      }
    }
    if (outputs.size() == 1 && parts.containsKey("Description")) {
      String why = text(read(client, parts.get("Description").id()));
      if (why != null && !why.isBlank())
        throw refused(p.name(), "the device ended run " + runId + ": " + why);
    }
    List<Reply.Attachment> files = new ArrayList<>();
    if (p.files() && parts.containsKey("FileSet")) {
      for (LadsDevice.Child f : LadsDevice.children(client, parts.get("FileSet").id())) {
        Map<String, LadsDevice.Child> fp =
            LadsDevice.byName(LadsDevice.children(client, f.id()), u.lads());
        if (!fp.containsKey("File")) continue;
        String fileName =
            fp.containsKey("Name") ? text(read(client, fp.get("Name").id())) : f.name().name();
        String mime =
            fp.containsKey("MimeType")
                ? text(read(client, fp.get("MimeType").id()))
                : "application/octet-stream";
        files.add(new Reply.Attachment(fileName, mime, readFile(client, fp.get("File").id())));
      }
    }
    return new Outcome(outputs, files);
  }

  /** The whole content of an OPC UA FileType object: Open(read), Read until empty, Close. */
  private byte[] readFile(OpcUaClient client, NodeId file) throws Exception {
    Map<String, NodeId> methods = new LinkedHashMap<>();
    for (LadsDevice.Child c : LadsDevice.children(client, file))
      methods.put(c.name().name(), c.id());
    for (String m : List.of("Open", "Read", "Close")) {
      if (!methods.containsKey(m))
        throw new InstrumentError.BadReply(
            name, "read result file", "the file object has no " + m + " method");
    }
    Variant[] opened =
        call(
            client,
            file,
            methods.get("Open"),
            "Open",
            new Variant[] {new Variant(UByte.valueOf(1))});
    Object handle = opened[0].getValue();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    try {
      while (true) {
        Variant[] chunk =
            call(
                client,
                file,
                methods.get("Read"),
                "Read",
                new Variant[] {new Variant(handle), new Variant(65_536)});
        byte[] b =
            chunk.length == 0
                    || !(chunk[0].getValue() instanceof ByteString bs)
                    || bs.bytes() == null
                ? new byte[0]
                : bs.bytes();
        if (b.length == 0) break;
        content.write(b);
      }
    } finally {
      call(client, file, methods.get("Close"), "Close", new Variant[] {new Variant(handle)});
    }
    return content.toByteArray();
  }

  private Variant[] call(
      OpcUaClient client, NodeId object, NodeId method, String what, Variant[] inputs)
      throws UaException {
    CallMethodResult result =
        client.call(List.of(new CallMethodRequest(object, method, inputs))).getResults()[0];
    if (result.getStatusCode().isBad()) {
      throw new UaException(
          result.getStatusCode(),
          what + ": the device answered " + OpcUaValues.describe(result.getStatusCode()));
    }
    return result.getOutputArguments() == null ? new Variant[0] : result.getOutputArguments();
  }

  private static Variant read(OpcUaClient client, NodeId node) throws UaException {
    DataValue v = client.readValue(0.0, TimestampsToReturn.Neither, node);
    if (v.getStatusCode() != null && v.getStatusCode().isBad()) {
      throw new UaException(
          v.getStatusCode(),
          "read "
              + node.toParseableString()
              + ": the device answered "
              + OpcUaValues.describe(v.getStatusCode()));
    }
    return v.getValue();
  }

  private static boolean isNull(Variant v) {
    return v == null || v.getValue() == null;
  }

  private static String text(Variant v) {
    if (v == null || v.getValue() == null) return null;
    return v.getValue() instanceof LocalizedText t ? t.text() : String.valueOf(v.getValue());
  }

  /** LADS KeyValueType in OPC UA binary: Key and Value as UA Strings (Int32 length, UTF-8). */
  static byte[] keyValue(String key, String value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + k.length + v.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(k.length)
        .put(k)
        .putInt(v.length)
        .put(v)
        .array();
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    String target =
        settings
            .variables()
            .getOrDefault(variable, variable.equalsIgnoreCase("state") ? "state" : variable);
    return connection
        .client()
        .thenApplyAsync(
            client -> {
              try {
                LadsDevice.Unit u = unit(client);
                if (target.equals("state")) return (Object) text(read(client, u.currentState()));
                NodeId function = u.functions().get(target);
                if (function == null) {
                  throw new InstrumentError.Refused(
                      name,
                      "read " + variable,
                      "functional unit "
                          + u.name()
                          + " has no function '"
                          + target
                          + "' (it has "
                          + u.functions().keySet()
                          + " and its state)");
                }
                Map<String, LadsDevice.Child> parts =
                    LadsDevice.byName(LadsDevice.children(client, function), u.lads());
                LadsDevice.Child value =
                    parts.containsKey("SensorValue")
                        ? parts.get("SensorValue")
                        : parts.get("CurrentValue");
                if (value == null)
                  throw new InstrumentError.Refused(
                      name,
                      "read " + variable,
                      "function '" + target + "' has no SensorValue or CurrentValue");
                Variant v = read(client, value.id());
                return OpcUaValues.fromVariant(v)
                    .orElseThrow(
                        () ->
                            new InstrumentError.BadReply(
                                name,
                                "read " + variable,
                                "the value is "
                                    + OpcUaValues.kindOf(v)
                                    + ", not a number, text or true/false"));
              } catch (Exception e) {
                throw new CompletionException(map("read " + variable, e));
              }
            },
            connection.blocking())
        .handle(
            (v, e) -> {
              if (e != null) throw new CompletionException(map("read " + variable, e));
              return v;
            });
  }

  private InstrumentError refused(String command, String message) {
    return new InstrumentError.Refused(name, command, message);
  }

  /** Every failure to exactly one error kind, as the opcua driver does. */
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
    if (t instanceof LadsDevice.NotLads n)
      return new InstrumentError.Refused(name, command, n.getMessage());
    if (t instanceof InterruptedException)
      return new InstrumentError.Disconnected(name, command, "interrupted", t);
    if (t instanceof IllegalArgumentException)
      return new InstrumentError.Refused(name, command, "not sent: " + t.getMessage());
    StatusCode code = UaException.extractStatusCode(t).orElse(null);
    if (code == null)
      return new InstrumentError.Disconnected(name, command, String.valueOf(t.getMessage()), t);
    long v = code.getValue();
    if (v == StatusCodes.Bad_Timeout || v == StatusCodes.Bad_RequestTimeout) {
      return new InstrumentError.Timeout(
          name, command, "the device did not answer in time (" + OpcUaValues.describe(code) + ")");
    }
    if (v == StatusCodes.Bad_NodeIdUnknown)
      results.set(null); // the device was rebuilt: browse it again next time
    if (OpcUaInstrument.CONNECTION_LOST.contains(v)) {
      return new InstrumentError.Disconnected(
          name,
          command,
          "lost the connection to " + settings.endpoint() + " (" + OpcUaValues.describe(code) + ")",
          t);
    }
    String message =
        t.getMessage() != null && t.getMessage().contains("the device answered")
            ? t.getMessage()
            : "the device answered " + OpcUaValues.describe(code);
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
    bridges.release(session.bridgeKey());
    bridges.release(SharedTimer.KEY);
  }
}
