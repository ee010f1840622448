package io.labloop.simulators.opcua;

import io.labloop.simulators.instrument.CommandBinding;
import io.labloop.simulators.instrument.Outcome;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address space of the simulated instruments on one server: per instrument an object (under
 * Objects) with its process variables and its methods, at the node ids the lab file gives.
 */
final class InstrumentNamespace extends ManagedNamespaceWithLifecycle {

  static final String URI = "urn:labloop:virtual-lab:instruments";
  private static final Logger log = LoggerFactory.getLogger(InstrumentNamespace.class);

  /**
   * How long an instrument that "never answers" holds a call when the lab file gives the command no
   * timeout; with one, it holds the call a little longer than its client waits. Either way the call
   * ends early on Abort(), a restart or when the lab closes.
   */
  private static final long HANG_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private final SubscriptionModel subscriptions;
  private final List<SimulatedInstrument> instruments;
  private final Map<String, Map<String, Object>> sections;
  private final Map<String, NodeId> objects = new LinkedHashMap<>();
  private final Random garbage = new Random(11);

  InstrumentNamespace(
      OpcUaServer server,
      List<SimulatedInstrument> instruments,
      Map<String, Map<String, Object>> sections) {
    super(server, URI);
    this.instruments = instruments;
    this.sections = sections;
    this.subscriptions = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptions);
    getLifecycleManager().addStartupTask(this::build);
  }

  /** The object node of each instrument. */
  Map<String, NodeId> objects() {
    return objects;
  }

  /** The node ids of the lab file must live in this namespace; says which index that is. */
  private NodeId ours(String text, String what) {
    NodeId id = NodeId.parseOrNull(text);
    if (id == null) {
      throw new IllegalArgumentException(
          what + " '" + text + "' is not a node id (expected e.g. ns=2;s=Robot)");
    }
    if (!id.getNamespaceIndex().equals(getNamespaceIndex())) {
      throw new IllegalArgumentException(
          what
              + " '"
              + text
              + "' is in namespace "
              + id.getNamespaceIndex()
              + "; the virtual lab serves its instruments in ns="
              + getNamespaceIndex());
    }
    return id;
  }

  private void build() {
    for (SimulatedInstrument instrument : instruments) {
      Map<String, Object> section = sections.get(instrument.name());
      List<CommandBinding> commands = CommandBinding.all(section);
      NodeId objectId = null;
      for (CommandBinding c : commands) {
        if (c.definition().get("method") instanceof Map<?, ?> m && m.get("object") != null) {
          objectId =
              ours(
                  String.valueOf(m.get("object")),
                  "object of " + instrument.name() + "." + c.name());
          break;
        }
      }
      if (objectId == null) {
        String name = instrument.name();
        objectId = newNodeId(Character.toUpperCase(name.charAt(0)) + name.substring(1));
      }
      objects.put(instrument.name(), objectId);
      String prefix = objectId.getIdentifier() + ".";

      UaObjectNode object =
          new UaObjectNode.UaObjectNodeBuilder(getNodeContext())
              .setNodeId(objectId)
              .setBrowseName(newQualifiedName(instrument.name()))
              .setDisplayName(LocalizedText.english(instrument.name()))
              .setTypeDefinition(NodeIds.BaseObjectType)
              .build();
      getNodeManager().addNode(object);
      object.addReference(
          new Reference(
              object.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));

      Map<String, NodeId> variableIds = new LinkedHashMap<>();
      for (String v : instrument.variableNames()) {
        variableIds.put(v, newNodeId(prefix + v));
      }
      if (section.get("variables") instanceof Map<?, ?> declared) {
        for (Map.Entry<?, ?> e : declared.entrySet()) {
          String name = canonical(String.valueOf(e.getKey()), instrument.variableNames());
          variableIds.put(
              name,
              ours(
                  String.valueOf(e.getValue()),
                  "variable " + e.getKey() + " of " + instrument.name()));
          if (instrument.variable(name) == null) {
            instrument.setVariable(name, 0.0);
          }
        }
      }
      Map<String, UaVariableNode> nodes = new LinkedHashMap<>();
      for (Map.Entry<String, NodeId> e : variableIds.entrySet()) {
        Object value = instrument.variable(e.getKey());
        UaVariableNode node =
            new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(e.getValue())
                .setAccessLevel(AccessLevel.READ_ONLY)
                .setUserAccessLevel(AccessLevel.READ_ONLY)
                .setBrowseName(newQualifiedName(e.getKey()))
                .setDisplayName(LocalizedText.english(e.getKey()))
                .setDataType(value instanceof Number ? NodeIds.Double : NodeIds.String)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .build();
        node.setValue(new DataValue(variant(value)));
        getNodeManager().addNode(node);
        object.addReference(
            new Reference(
                object.getNodeId(), NodeIds.HasComponent, node.getNodeId().expanded(), true));
        nodes.put(e.getKey(), node);
      }
      instrument.onVariableChange(
          (name, value) -> {
            UaVariableNode node = nodes.get(name);
            if (node != null) {
              node.setValue(new DataValue(variant(value)));
            }
          });

      boolean hasAbort = false;
      for (CommandBinding c : commands) {
        if (!(c.definition().get("method") instanceof Map<?, ?> m) || m.get("method") == null) {
          continue;
        }
        NodeId methodId =
            ours(
                String.valueOf(m.get("method")), "method of " + instrument.name() + "." + c.name());
        // the lab file names its abort command (abort: stop); a command called abort, or a method
        // called ...Abort, is one too
        boolean abort =
            c.name().equalsIgnoreCase("abort")
                || c.name().equals(section.get("abort"))
                || String.valueOf(methodId.getIdentifier()).endsWith("Abort");
        hasAbort |= abort;
        addMethod(object, methodId, c.name(), instrument, abort ? null : c);
      }
      if (!hasAbort) {
        addMethod(object, newNodeId(prefix + "Abort"), "Abort", instrument, null);
      }
    }
  }

  private static String canonical(String name, List<String> known) {
    for (String k : known) {
      if (k.equalsIgnoreCase(name)) {
        return k;
      }
    }
    return name;
  }

  private void addMethod(
      UaObjectNode object,
      NodeId methodId,
      String name,
      SimulatedInstrument instrument,
      CommandBinding command) {
    UaMethodNode method =
        UaMethodNode.builder(getNodeContext())
            .setNodeId(methodId)
            .setBrowseName(
                newQualifiedName(methodId.getIdentifier().toString().replaceFirst(".*\\.", "")))
            .setDisplayName(LocalizedText.english(name))
            .build();
    AbstractMethodInvocationHandler handler =
        command == null
            ? new AbortHandler(method, instrument)
            : new CommandHandler(method, instrument, command);
    method.setInputArguments(handler.getInputArguments());
    method.setOutputArguments(handler.getOutputArguments());
    method.setInvocationHandler(handler);
    getNodeManager().addNode(method);
    object.addReference(
        new Reference(
            object.getNodeId(), NodeIds.HasComponent, method.getNodeId().expanded(), true));
  }

  /** The data type a lab file names for a method argument (the built-in scalar types). */
  static NodeId dataType(String name) {
    return switch (name) {
      case "Boolean" -> NodeIds.Boolean;
      case "SByte" -> NodeIds.SByte;
      case "Byte" -> NodeIds.Byte;
      case "Int16" -> NodeIds.Int16;
      case "UInt16" -> NodeIds.UInt16;
      case "Int32" -> NodeIds.Int32;
      case "UInt32" -> NodeIds.UInt32;
      case "Int64" -> NodeIds.Int64;
      case "UInt64" -> NodeIds.UInt64;
      case "Float" -> NodeIds.Float;
      case "String" -> NodeIds.String;
      default -> NodeIds.Double;
    };
  }

  static Variant variant(Object value) {
    if (value instanceof Number n) {
      return new Variant(n.doubleValue());
    }
    return new Variant(value == null ? "" : String.valueOf(value));
  }

  /** Abort(): ends the instrument's running operation. */
  private static final class AbortHandler extends AbstractMethodInvocationHandler {
    private final SimulatedInstrument instrument;

    AbortHandler(UaMethodNode node, SimulatedInstrument instrument) {
      super(node);
      this.instrument = instrument;
    }

    @Override
    public Argument[] getInputArguments() {
      return new Argument[0];
    }

    @Override
    public Argument[] getOutputArguments() {
      return new Argument[0];
    }

    @Override
    protected Variant[] invoke(InvocationContext context, Variant[] inputs) {
      instrument.abort();
      return new Variant[0];
    }
  }

  /**
   * One lab command as a method: typed arguments in, typed outputs back, errors as Bad status
   * codes.
   */
  private final class CommandHandler extends AbstractMethodInvocationHandler {
    private final SimulatedInstrument instrument;
    private final CommandBinding command;
    private final List<String> inputs;
    private final List<String> outputs;

    CommandHandler(UaMethodNode node, SimulatedInstrument instrument, CommandBinding command) {
      super(node);
      this.instrument = instrument;
      this.command = command;
      this.inputs = instrument.inputsOf(command);
      this.outputs = instrument.outputsOf(command);
    }

    @Override
    public Argument[] getInputArguments() {
      return arguments(inputs, true);
    }

    @Override
    public Argument[] getOutputArguments() {
      return arguments(outputs, false);
    }

    private Argument[] arguments(List<String> names, boolean in) {
      Argument[] out = new Argument[names.size()];
      for (int i = 0; i < out.length; i++) {
        String n = names.get(i);
        boolean text = in ? instrument.isTextInput(n) : instrument.isTextOutput(n);
        NodeId type = in ? command.typeOf(n).map(InstrumentNamespace::dataType).orElse(null) : null;
        if (type == null) {
          type = text ? NodeIds.String : NodeIds.Double;
        }
        out[i] = new Argument(n, type, -1, null, LocalizedText.english(n));
      }
      return out;
    }

    @Override
    protected Variant[] invoke(InvocationContext context, Variant[] values) throws UaException {
      Map<String, Object> args = new LinkedHashMap<>();
      for (int i = 0; i < inputs.size() && i < values.length; i++) {
        args.put(inputs.get(i), values[i].getValue());
      }
      Outcome outcome = instrument.handle(command.name(), inputs, outputs, args);
      if (outcome instanceof Outcome.Answer a) {
        Variant[] out = new Variant[outputs.size()];
        for (int i = 0; i < out.length; i++) {
          Object v = a.outputs().get(outputs.get(i));
          if (v == null) {
            throw new UaException(
                StatusCodes.Bad_InternalError,
                "the instrument has no value for output " + outputs.get(i));
          }
          out[i] = variant(v);
        }
        return out;
      }
      if (outcome instanceof Outcome.Failure f) {
        long code =
            switch (f.reason()) {
              case BAD_ARGUMENT -> StatusCodes.Bad_InvalidArgument;
              case UNKNOWN_SAMPLE -> StatusCodes.Bad_NotFound;
              case BUSY, REFUSED -> StatusCodes.Bad_InvalidState;
              case ABORTED -> StatusCodes.Bad_RequestCancelledByClient;
              default -> StatusCodes.Bad_NotSupported;
            };
        throw new UaException(code, f.message());
      }
      Outcome.Faulted fault = (Outcome.Faulted) outcome;
      switch (fault.fault()) {
        case TIMEOUT -> {
          instrument.hang(command.timeout().map(t -> t.toMillis() + 5_000).orElse(HANG_MILLIS));
          throw new UaException(StatusCodes.Bad_Timeout, "the instrument did not answer");
        }
        case GARBAGE -> {
          // Bytes where the method's signature promises numbers and text.
          Variant[] out = new Variant[outputs.size()];
          for (int i = 0; i < out.length; i++) {
            byte[] noise = new byte[12];
            synchronized (garbage) {
              garbage.nextBytes(noise);
            }
            out[i] = new Variant(ByteString.of(noise));
          }
          return out;
        }
        default -> {
          dropSessions();
          throw new UaException(
              StatusCodes.Bad_SessionClosed, "the connection to the instrument dropped");
        }
      }
    }
  }

  /** Drops every client session on this server, as a device that lost its network or rebooted. */
  private void dropSessions() {
    List<Session> sessions = new ArrayList<>(getServer().getSessionManager().getAllSessions());
    for (Session s : sessions) {
      log.debug("dropping session {}", s.getSessionName());
      getServer().getSessionManager().killSession(s.getSessionId(), true);
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> items) {
    subscriptions.onDataItemsCreated(items);
  }

  @Override
  public void onDataItemsModified(List<DataItem> items) {
    subscriptions.onDataItemsModified(items);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> items) {
    subscriptions.onDataItemsDeleted(items);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> items) {
    subscriptions.onMonitoringModeChanged(items);
  }
}
