package io.labloop.drivers.sila2;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import io.labloop.drivers.Bridges;
import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.drivers.support.CommandRunner;
import io.labloop.drivers.support.SharedTimer;
import io.labloop.drivers.support.StatusTracker;
import io.labloop.drivers.support.Template;
import io.labloop.drivers.support.Values;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SiLA 2 server as an instrument.
 *
 * <p>Connecting asks SiLA Service for the implemented features and their Feature Definitions,
 * builds each feature's descriptors ({@link FeatureDescriptors}) and binds every command of the lab
 * file to a command of a feature (the one named in {@code feature}, else the one that has it),
 * checking that the parameters and responses the lab file names exist. Then:
 *
 * <ul>
 *   <li>an unobservable command is one call, its responses the outputs;
 *   <li>an observable command is started (the server answers with a command execution UUID), its
 *       execution info followed on the {@code _Info} stream (progress logged) until it finishes,
 *       then its {@code _Result} read;
 *   <li>{@code until} subscribes to an observable property and waits for the value (the current
 *       value counts);
 *   <li>{@code read(variable)} reads a property: the first value of its subscription, or {@code
 *       Get_} for an unobservable one.
 * </ul>
 *
 * Binary responses come back as attachments. Errors map as {@link SilaErrors} says.
 */
final class Sila2Instrument implements Instrument {

  private static final Logger log = LoggerFactory.getLogger(Sila2Instrument.class);

  private record Bound(
      Sila2Settings.SilaCommand settings,
      SilaConnection.Feature feature,
      FeatureDefinition.Command command) {}

  private record Bindings(
      Map<String, Bound> commands, Map<String, SilaConnection.Feature> properties) {}

  /** How long a call waits for a connection attempt that is under way. */
  private static final java.time.Duration READY_PATIENCE = java.time.Duration.ofSeconds(5);

  private final String name;
  private final Sila2Settings settings;
  private final Bridges bridges;
  private final SilaConnection.Protocol protocol;
  private final @Nullable ServerTrust trust;

  /** Made at once for a {@code server}; for {@code discover}, at each connect that finds it. */
  private volatile @Nullable SilaConnection connection;

  private volatile boolean closed;

  private final SilaErrors errors;
  private final StatusTracker status = new StatusTracker();
  private final CommandRunner runner;
  private final AtomicReference<CompletableFuture<Bindings>> bindings = new AtomicReference<>();

  Sila2Instrument(
      String name, Sila2Settings settings, Bridges bridges, SilaConnection.Protocol protocol) {
    this.name = name;
    this.settings = settings;
    this.bridges = bridges;
    this.protocol = protocol;
    try {
      this.trust =
          settings.plaintext()
              ? null
              : new ServerTrust(settings.trustDir(), settings.certificate());
    } catch (IOException e) {
      throw new IllegalStateException(
          "instrument '" + name + "': cannot prepare the trust folder " + settings.trustDir(), e);
    }
    if (settings.discover().isEmpty())
      this.connection = new SilaConnection(settings.host(), settings.port(), trust, protocol);
    this.errors = new SilaErrors(name, protocol.framework());
    this.runner = new CommandRunner(name, SharedTimer.acquire(bridges).scheduler(), status);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return bindings().thenApply(b -> (Void) null);
  }

  /** The commands bound to the server's features; learnt once, again after a failure. */
  private CompletableFuture<Bindings> bindings() {
    CompletableFuture<Bindings> current = bindings.get();
    if (current != null && !current.isCompletedExceptionally()) return current;
    CompletableFuture<Bindings> fresh = new CompletableFuture<>();
    if (!bindings.compareAndSet(current, fresh)) return bindings();
    connection()
        .thenCompose(
            c ->
                c.ready(READY_PATIENCE)
                    .thenCompose(r -> checkIdentity(c))
                    .thenCompose(r -> c.features()))
        .thenApply(this::bind)
        .whenComplete(
            (b, failure) -> {
              if (failure == null) {
                status.online();
                fresh.complete(b);
                return;
              }
              InstrumentError e = error("connect", failure);
              if (SilaErrors.untrusted(failure) && lastRefusal().isPresent())
                status.error(InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE, e.getMessage());
              else if (e instanceof InstrumentError.Refused)
                status.error(InstrumentStatus.ReasonKind.CONFIGURATION, e.getMessage());
              else status.offline(InstrumentStatus.ReasonKind.COMMUNICATION, e.getMessage());
              SilaConnection c = connection;
              if (c != null && settings.discover().isPresent()) {
                // the next connect looks again: the server may have moved or been replaced
                connection = null;
                CompletableFuture.runAsync(c::close);
              } else if (c != null) c.reconnectSoon();
              fresh.completeExceptionally(e);
            });
    return fresh;
  }

  /** The connection; for {@code discover}, after finding the server on the network. */
  private CompletableFuture<SilaConnection> connection() {
    SilaConnection c = connection;
    if (c != null) return CompletableFuture.completedFuture(c);
    String wanted = settings.discover().orElseThrow();
    return SilaDiscovery.find(wanted, settings.discoverTimeout(), settings.discoverInterface())
        .thenApply(
            found -> {
              log.info("{}: SiLA 2 server {}", name, found.describe());
              SilaConnection fresh =
                  new SilaConnection(found.host(), found.port(), trust, protocol);
              connection = fresh;
              if (closed) {
                connection = null;
                fresh.close();
                throw new IllegalStateException("closed");
              }
              return fresh;
            });
  }

  /** The connection of bound commands (present once bindings are). */
  private SilaConnection conn() {
    SilaConnection c = connection;
    if (c == null) throw new IllegalStateException("not connected to " + settings.address());
    return c;
  }

  private java.util.Optional<String> lastRefusal() {
    return trust == null ? java.util.Optional.empty() : trust.lastRefusal();
  }

  /** For {@code discover}: the server found must say, through SiLA Service, that it is that one. */
  private CompletableFuture<Void> checkIdentity(SilaConnection c) {
    if (settings.discover().isEmpty()) return CompletableFuture.completedFuture(null);
    String wanted = settings.discover().get();
    return c.identity()
        .thenAccept(
            id -> {
              if (!SilaDiscovery.matches(wanted, id.uuid(), id.name()))
                throw new IllegalArgumentException(
                    "discovery found SiLA server '"
                        + wanted
                        + "' at "
                        + c.address()
                        + ", but there SiLA Service says it is '"
                        + id.name()
                        + "' (UUID "
                        + id.uuid()
                        + "): not the one the lab file names");
            });
  }

  private Bindings bind(List<SilaConnection.Feature> features) {
    List<SilaConnection.Feature> candidates = new ArrayList<>();
    for (SilaConnection.Feature f : features) {
      if (settings.feature().isEmpty()
          || settings.feature().get().equals(f.definition().identifier())
          || settings.feature().get().equals(f.definition().fullyQualified())) candidates.add(f);
    }
    if (candidates.isEmpty())
      throw new IllegalArgumentException(
          "the server has no feature "
              + settings.feature().orElse("")
              + "; it has "
              + features.stream().map(f -> f.definition().fullyQualified()).toList());
    Map<String, Bound> commands = new LinkedHashMap<>();
    for (Sila2Settings.SilaCommand c : settings.commands().values()) {
      if (c.command().isEmpty()) continue; // a wait on a property only
      String id = c.command().get();
      List<Bound> found = new ArrayList<>();
      for (SilaConnection.Feature f : candidates)
        f.definition().command(id).ifPresent(cmd -> found.add(new Bound(c, f, cmd)));
      if (found.isEmpty())
        throw new IllegalArgumentException(
            "command '"
                + c.name()
                + "': the server has no command "
                + id
                + " in "
                + names(candidates));
      if (found.size() > 1)
        throw new IllegalArgumentException(
            "command '"
                + c.name()
                + "': "
                + id
                + " is in several features; name one with 'feature'");
      Bound b = found.get(0);
      if (c.observable().isPresent() && c.observable().get() != b.command.observable())
        throw new IllegalArgumentException(
            "command '"
                + c.name()
                + "': the lab file says observable: "
                + c.observable().get()
                + " but the server's "
                + id
                + " is "
                + (b.command.observable() ? "observable" : "not observable"));
      List<String> parameterIds =
          b.command.parameters().stream().map(FeatureDefinition.Element::identifier).toList();
      c.parameters()
          .ifPresent(
              ps -> {
                for (String p : ps.keySet())
                  if (!parameterIds.contains(p))
                    throw new IllegalArgumentException(
                        "command '"
                            + c.name()
                            + "': "
                            + id
                            + " has no parameter "
                            + p
                            + "; it has "
                            + parameterIds);
              });
      List<String> responseIds =
          b.command.responses().stream().map(FeatureDefinition.Element::identifier).toList();
      c.responses()
          .ifPresent(
              rs -> {
                for (String r : rs.values())
                  if (!responseIds.contains(r))
                    throw new IllegalArgumentException(
                        "command '"
                            + c.name()
                            + "': "
                            + id
                            + " has no response "
                            + r
                            + "; it has "
                            + responseIds);
              });
      commands.put(c.name(), b);
    }
    Map<String, SilaConnection.Feature> properties = new LinkedHashMap<>();
    List<String> wanted = new ArrayList<>(settings.variables().values());
    settings.commands().values().forEach(c -> c.until().ifPresent(u -> wanted.add(u.property())));
    for (String p : wanted) {
      SilaConnection.Feature owner = null;
      for (SilaConnection.Feature f : candidates)
        if (f.definition().property(p).isPresent()) owner = f;
      if (owner == null)
        throw new IllegalArgumentException(
            "the server has no property " + p + " in " + names(candidates));
      properties.put(p, owner);
    }
    return new Bindings(commands, properties);
  }

  private static List<String> names(List<SilaConnection.Feature> features) {
    return features.stream().map(f -> f.definition().fullyQualified()).toList();
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    Sila2Settings.SilaCommand c = settings.commands().get(command.name());
    if (c == null) return runner.unknown(command, settings.commands().keySet());
    return runner.run(
        command,
        c.policy(),
        (cmd, timeout) ->
            bindings()
                .thenCompose(b -> conn().ready(READY_PATIENCE).thenCompose(r -> run(b, c, cmd)))
                .handle(
                    (outcome, failure) -> {
                      if (failure != null)
                        throw new CompletionException(error(cmd.name(), failure));
                      return outcome;
                    }));
  }

  private CompletableFuture<CommandRunner.Outcome> run(
      Bindings b, Sila2Settings.SilaCommand c, Command cmd) {
    CompletableFuture<CommandRunner.Outcome> call =
        c.command().isEmpty()
            ? CompletableFuture.completedFuture(CommandRunner.Outcome.of(Map.of()))
            : call(b.commands().get(c.name()), cmd);
    if (c.until().isEmpty()) return call;
    Sila2Settings.Until until = c.until().get();
    return call.thenCompose(
        outcome -> waitFor(b.properties().get(until.property()), until).thenApply(v -> outcome));
  }

  private CompletableFuture<CommandRunner.Outcome> call(Bound b, Command cmd) {
    String service = b.feature.definition().serviceName();
    String id = b.command.identifier();
    byte[] parameters = parameters(b, cmd).toByteArray();
    if (!b.command.observable()) {
      return conn().unary(service, id, parameters).thenApply(bytes -> responses(b, bytes));
    }
    Descriptor confirmation = protocol.framework().findMessageTypeByName("CommandConfirmation");
    return conn()
        .unary(service, id, parameters)
        .thenCompose(
            bytes -> {
              DynamicMessage uuid =
                  (DynamicMessage)
                      SilaConnection.field(
                          SilaConnection.parse(confirmation, bytes), "commandExecutionUUID");
              byte[] request = uuid.toByteArray();
              return followExecution(service, id, cmd, request)
                  .thenCompose(v -> conn().unary(service, id + "_Result", request))
                  .thenApply(result -> responses(b, result));
            });
  }

  /** Follows {@code X_Info} until the execution finishes (successfully or not). */
  private CompletableFuture<Void> followExecution(
      String service, String id, Command cmd, byte[] uuid) {
    Descriptor info = protocol.framework().findMessageTypeByName("ExecutionInfo");
    CompletableFuture<Void> finished = new CompletableFuture<>();
    CompletableFuture<Void> stream =
        conn().stream(
            service,
            id + "_Info",
            uuid,
            bytes -> {
              DynamicMessage m = SilaConnection.parse(info, bytes);
              String state = String.valueOf(SilaConnection.field(m, "commandStatus"));
              Object progress = SilaValues.get(m, info.findFieldByName("progressInfo"));
              log.debug("{}.{}: {} {}", name, cmd.name(), state, progress);
              if (state.startsWith("finished")) finished.complete(null);
            });
    stream.whenComplete(
        (v, failure) -> {
          if (failure != null) finished.completeExceptionally(failure);
          else finished.complete(null); // the stream ended: the result says how
        });
    finished.whenComplete((v, failure) -> stream.complete(null));
    return finished;
  }

  private DynamicMessage parameters(Bound b, Command cmd) {
    Descriptor type = b.feature.message(b.command.identifier() + "_Parameters");
    DynamicMessage.Builder m = DynamicMessage.newBuilder(type);
    Map<String, Object> given =
        b.settings.parameters().isPresent()
            ? castMap(Template.renderTree(b.settings.parameters().get(), cmd.arguments()))
            : null;
    for (FeatureDefinition.Element p : b.command.parameters()) {
      Object value;
      if (given != null) {
        value = given.get(p.identifier());
        if (value == null)
          throw new IllegalArgumentException(
              "the lab file gives no value for parameter "
                  + p.identifier()
                  + " of "
                  + b.command.identifier());
      } else {
        String arg = Sila2Settings.lowerCamel(p.identifier());
        value = cmd.arguments().get(arg);
        if (value == null)
          throw new IllegalArgumentException(
              "parameter "
                  + p.identifier()
                  + " needs the argument '"
                  + arg
                  + "'; given "
                  + cmd.arguments().keySet());
      }
      SilaValues.set(m, type.findFieldByName(p.identifier()), value);
    }
    return m.build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object tree) {
    return (Map<String, Object>) tree;
  }

  private CommandRunner.Outcome responses(Bound b, byte[] bytes) {
    Descriptor type = b.feature.message(b.command.identifier() + "_Responses");
    DynamicMessage m = SilaConnection.parse(type, bytes);
    Map<String, String> names = new LinkedHashMap<>();
    if (b.settings.responses().isPresent()) names.putAll(b.settings.responses().get());
    else
      for (FeatureDefinition.Element r : b.command.responses())
        names.put(Sila2Settings.lowerCamel(r.identifier()), r.identifier());
    Map<String, Object> outputs = new LinkedHashMap<>();
    List<Reply.Attachment> attachments = new ArrayList<>();
    names.forEach(
        (output, id) -> {
          Object v = SilaValues.get(m, type.findFieldByName(id));
          if (v instanceof byte[] data)
            attachments.add(new Reply.Attachment(output, "application/octet-stream", data));
          else if (v != null) outputs.put(output, Values.normalise(v));
        });
    return new CommandRunner.Outcome(outputs, attachments);
  }

  /** Waits through the property's subscription until it has the wanted value. */
  private CompletableFuture<Void> waitFor(
      SilaConnection.Feature feature, Sila2Settings.Until until) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    CompletableFuture<Void> stream =
        subscribe(
            feature,
            until.property(),
            value -> {
              if (same(value, until.equals())) reached.complete(null);
            });
    stream.whenComplete(
        (v, failure) ->
            reached.completeExceptionally(
                failure != null
                    ? failure
                    : new IllegalStateException(
                        "the server ended the subscription to " + until.property())));
    reached.whenComplete((v, failure) -> stream.complete(null));
    return reached;
  }

  private static boolean same(Object value, String wanted) {
    if (Objects.equals(String.valueOf(value), wanted)) return true;
    if (value instanceof Number n) {
      try {
        return n.doubleValue() == Double.parseDouble(wanted);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return false;
  }

  private CompletableFuture<Void> subscribe(
      SilaConnection.Feature feature, String property, java.util.function.Consumer<Object> each) {
    FeatureDefinition.Property p = feature.definition().property(property).orElseThrow();
    if (!p.observable())
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "property " + property + " is not observable; 'until' needs one that is"));
    Descriptor responses = feature.message("Subscribe_" + property + "_Responses");
    FieldDescriptor field = responses.findFieldByName(property);
    return conn().stream(
        feature.definition().serviceName(),
        "Subscribe_" + property,
        DynamicMessage.getDefaultInstance(feature.message("Subscribe_" + property + "_Parameters"))
            .toByteArray(),
        bytes ->
            each.accept(
                Values.normalise(SilaValues.get(SilaConnection.parse(responses, bytes), field))));
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    String property = settings.variables().get(variable);
    if (property == null)
      return CompletableFuture.failedFuture(
          new InstrumentError.Refused(
              name,
              "read " + variable,
              "no variable '"
                  + variable
                  + "'; the lab file lists "
                  + settings.variables().keySet()));
    return bindings()
        .thenCompose(b -> readProperty(b.properties().get(property), property))
        .handle(
            (value, failure) -> {
              if (failure != null)
                throw new CompletionException(error("read " + variable, failure));
              return value;
            });
  }

  private CompletableFuture<Object> readProperty(SilaConnection.Feature feature, String property) {
    FeatureDefinition.Property p = feature.definition().property(property).orElseThrow();
    if (!p.observable()) {
      Descriptor responses = feature.message("Get_" + property + "_Responses");
      return conn()
          .unary(
              feature.definition().serviceName(),
              "Get_" + property,
              DynamicMessage.getDefaultInstance(feature.message("Get_" + property + "_Parameters"))
                  .toByteArray())
          .thenApply(
              bytes ->
                  Values.normalise(
                      SilaValues.get(
                          SilaConnection.parse(responses, bytes),
                          responses.findFieldByName(property))));
    }
    CompletableFuture<Object> first = new CompletableFuture<>();
    CompletableFuture<Void> stream = subscribe(feature, property, first::complete);
    stream.whenComplete(
        (v, failure) ->
            first.completeExceptionally(
                failure != null ? failure : new IllegalStateException("no value of " + property)));
    first.whenComplete((v, failure) -> stream.complete(null));
    return first;
  }

  private InstrumentError error(String command, Throwable failure) {
    InstrumentError e = errors.toError(command, failure, lastRefusal());
    SilaConnection c = connection;
    if (e instanceof InstrumentError.Disconnected && c != null) c.reconnectSoon();
    return e;
  }

  @Override
  public InstrumentStatus status() {
    return status.status();
  }

  @Override
  public void close() {
    closed = true;
    SilaConnection c = connection;
    if (c != null) c.close();
    status.offline(InstrumentStatus.ReasonKind.GONE, "closed");
    bridges.release(SharedTimer.KEY);
  }
}
