package io.labloop.simulators.opcua;

import static io.labloop.simulators.opcua.LadsValues.asm;
import static io.labloop.simulators.opcua.LadsValues.keyValues;
import static io.labloop.simulators.opcua.LadsValues.number;
import static io.labloop.simulators.opcua.LadsValues.plain;
import static io.labloop.simulators.opcua.LadsValues.text;

import io.labloop.common.Threads;
import io.labloop.simulators.instrument.CommandBinding;
import io.labloop.simulators.instrument.Outcome;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address space of the LADS devices on one server.
 *
 * <p>Per instrument: {@code DeviceSet/<device>} (DI identification properties), its {@code
 * FunctionalUnitSet/<unit>} with {@code FunctionalUnitState} ({@code CurrentState}, {@code
 * StartProgram}, {@code Start}, {@code Stop}, {@code Abort}), {@code FunctionSet} (one sensor
 * function per process variable, value in {@code SensorValue}) and {@code ProgramManager} ({@code
 * ProgramTemplateSet} with one template per {@code program:} command of the lab file, {@code
 * ActiveProgram}, {@code ResultSet}).
 *
 * <p>StartProgram(ProgramTemplateId, Properties: KeyValueType[], SupervisoryJobId,
 * SupervisoryTaskId, Samples) answers at once with a DeviceProgramRunId and runs the program on a
 * worker: the state is Running while the simulated instrument works, then a result object named
 * after the run id appears in the ResultSet with {@code Started}, {@code Stopped}, the run's ids, a
 * {@code VariableSet} of the outputs and a {@code FileSet} holding one result file, an
 * Allotrope-Simple-Model-style JSON document readable through the FileType methods Open/Read/
 * Close; the state goes back to Stopped. A refusal leaves a result whose {@code Description} gives
 * the reason and the state Aborted; a dropped connection kills every session (as a device that lost
 * its network); a hang keeps the state Running.
 */
final class LadsNamespace extends ManagedNamespaceWithLifecycle {

  static final String URI = "urn:labloop:virtual-lab:lads";
  private static final Logger log = LoggerFactory.getLogger(LadsNamespace.class);
  private static final long HANG_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private final SubscriptionModel subscriptions;
  private final List<SimulatedInstrument> instruments;
  private final Map<String, Map<String, Object>> sections;
  private final UShort lads;
  private final UShort di;
  private final Map<String, NodeId> devices = new LinkedHashMap<>();
  private final LadsNodes nodes;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(Threads.daemon("lads-program"));

  LadsNamespace(
      OpcUaServer server,
      List<SimulatedInstrument> instruments,
      Map<String, Map<String, Object>> sections) {
    super(server, URI);
    this.instruments = instruments;
    this.sections = sections;
    this.lads = server.getNamespaceTable().add(LadsModel.LADS_URI);
    this.di = server.getNamespaceTable().add(LadsModel.DI_URI);
    this.subscriptions = new SubscriptionModel(server, this);
    this.nodes = new LadsNodes(getNodeContext(), getNodeManager(), this::newNodeId);
    getLifecycleManager().addLifecycle(subscriptions);
    getLifecycleManager().addStartupTask(this::build);
    getLifecycleManager().addShutdownTask(workers::shutdownNow);
  }

  /** True for a lab-file section with {@code driver: lads}. */
  static boolean isLads(Map<String, Object> section) {
    return section != null && "lads".equals(String.valueOf(section.get("driver")));
  }

  /** The device object of each instrument. */
  Map<String, NodeId> devices() {
    return devices;
  }

  private QualifiedName ladsName(String name) {
    return new QualifiedName(lads, name);
  }

  private void build() {
    UaObjectNode deviceSet = nodes.object(null, "DeviceSet", new QualifiedName(di, "DeviceSet"));
    deviceSet.addReference(
        new Reference(
            deviceSet.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
    for (SimulatedInstrument instrument : instruments) {
      new Device(instrument, sections.get(instrument.name()), deviceSet).build();
    }
  }

  /** One instrument as a LADS device with one functional unit. */
  private final class Device {
    private final SimulatedInstrument instrument;
    private final Map<String, Object> section;
    private final UaObjectNode deviceSet;
    private final String deviceName;
    private final String unitName;
    private final Map<String, CommandBinding> programs = new LinkedHashMap<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final Object lock = new Object();
    private UaVariableNode currentState;
    private UaVariableNode activeRunId;
    private UaVariableNode activeTemplate;
    private UaObjectNode resultSet;
    private String prefix;

    Device(SimulatedInstrument instrument, Map<String, Object> section, UaObjectNode deviceSet) {
      this.instrument = instrument;
      this.section = section;
      this.deviceSet = deviceSet;
      String n = instrument.name();
      this.deviceName =
          text(section.get("device"), Character.toUpperCase(n.charAt(0)) + n.substring(1));
      this.unitName = text(section.get("functional-unit"), "Unit");
    }

    void build() {
      prefix = deviceName + ".";
      UaObjectNode device =
          nodes.object(deviceSet, deviceName, new QualifiedName(getNamespaceIndex(), deviceName));
      devices.put(instrument.name(), device.getNodeId());
      nodes.property(
          device,
          prefix + "Manufacturer",
          new QualifiedName(di, "Manufacturer"),
          LocalizedText.english("LabLoop virtual lab"));
      nodes.property(
          device,
          prefix + "Model",
          new QualifiedName(di, "Model"),
          LocalizedText.english(instrument.name() + " (" + instrument.role() + ")"));
      nodes.property(
          device,
          prefix + "SerialNumber",
          new QualifiedName(di, "SerialNumber"),
          "VL-" + instrument.name());

      UaObjectNode unitSet =
          nodes.object(device, prefix + "FunctionalUnitSet", ladsName("FunctionalUnitSet"));
      String u = prefix + unitName + ".";
      UaObjectNode unit =
          nodes.object(
              unitSet, prefix + unitName, new QualifiedName(getNamespaceIndex(), unitName));

      UaObjectNode state =
          nodes.object(unit, u + "FunctionalUnitState", ladsName("FunctionalUnitState"));
      currentState =
          nodes.variable(
              state,
              u + "FunctionalUnitState.CurrentState",
              new QualifiedName(0, "CurrentState"),
              LocalizedText.english(LadsModel.STOPPED),
              NodeIds.LocalizedText);
      nodes.method(
          state,
          u + "StartProgram",
          ladsName("StartProgram"),
          new Argument[] {
            LadsNodes.argument("ProgramTemplateId", NodeIds.String, -1),
            LadsNodes.argument("Properties", new NodeId(lads, LadsModel.KEY_VALUE_TYPE), 1),
            LadsNodes.argument("SupervisoryJobId", NodeIds.String, -1),
            LadsNodes.argument("SupervisoryTaskId", NodeIds.String, -1),
            LadsNodes.argument("Samples", new NodeId(lads, LadsModel.SAMPLE_INFO_TYPE), 1)
          },
          new Argument[] {LadsNodes.argument("DeviceProgramRunId", NodeIds.String, -1)},
          this::startProgram);
      nodes.method(
          state,
          u + "Start",
          ladsName("Start"),
          new Argument[0],
          new Argument[0],
          in -> {
            throw new UaException(
                StatusCodes.Bad_NotSupported, "this device runs programs only (StartProgram)");
          });
      nodes.method(
          state,
          u + "Stop",
          ladsName("Stop"),
          new Argument[0],
          new Argument[0],
          in -> {
            instrument.abort();
            setState(LadsModel.STOPPED);
            return new Variant[0];
          });
      nodes.method(
          state,
          u + "Abort",
          ladsName("Abort"),
          new Argument[0],
          new Argument[0],
          in -> {
            instrument.abort();
            setState(LadsModel.ABORTED);
            return new Variant[0];
          });

      UaObjectNode functions = nodes.object(unit, u + "FunctionSet", ladsName("FunctionSet"));
      Map<String, UaVariableNode> sensors = new LinkedHashMap<>();
      for (String v : instrument.variableNames()) {
        if (v.equals("State")) continue;
        UaObjectNode function =
            nodes.object(
                functions, u + "FunctionSet." + v, new QualifiedName(getNamespaceIndex(), v));
        Object value = instrument.variable(v);
        sensors.put(
            v,
            nodes.variable(
                function,
                u + "FunctionSet." + v + ".SensorValue",
                ladsName("SensorValue"),
                plain(value),
                value instanceof Number ? NodeIds.Double : NodeIds.String));
      }
      instrument.onVariableChange(
          (name, value) -> {
            UaVariableNode node = sensors.get(name);
            if (node != null) node.setValue(new DataValue(new Variant(plain(value))));
          });

      UaObjectNode manager = nodes.object(unit, u + "ProgramManager", ladsName("ProgramManager"));
      UaObjectNode templates =
          nodes.object(manager, u + "ProgramTemplateSet", ladsName("ProgramTemplateSet"));
      if (section.get("commands") instanceof Map<?, ?> commands) {
        for (Map.Entry<?, ?> e : commands.entrySet()) {
          if (!(e.getValue() instanceof Map<?, ?> c) || c.get("program") == null) continue;
          String program = String.valueOf(c.get("program"));
          List<String> inputs = new ArrayList<>();
          if (c.get("properties") instanceof Map<?, ?> props)
            props.keySet().forEach(k -> inputs.add(String.valueOf(k)));
          List<String> outputs = new ArrayList<>();
          if (c.get("outputs") instanceof List<?> outs) {
            for (Object o : outs)
              outputs.add(
                  o instanceof Map<?, ?> om ? String.valueOf(om.get("name")) : String.valueOf(o));
          }
          Map<String, Object> definition = new LinkedHashMap<>();
          c.forEach((k, v) -> definition.put(String.valueOf(k), v));
          CommandBinding binding =
              new CommandBinding(String.valueOf(e.getKey()), inputs, outputs, definition);
          programs.put(program, binding);
          UaObjectNode template =
              nodes.object(
                  templates,
                  u + "ProgramTemplateSet." + program,
                  new QualifiedName(getNamespaceIndex(), program));
          nodes.property(
              template, u + "ProgramTemplateSet." + program + ".Name", ladsName("Name"), program);
          nodes.property(
              template,
              u + "ProgramTemplateSet." + program + ".Description",
              ladsName("Description"),
              LocalizedText.english(
                  "lab command '"
                      + e.getKey()
                      + "': properties "
                      + instrument.inputsOf(binding)
                      + ", results "
                      + instrument.outputsOf(binding)));
        }
      }
      UaObjectNode active = nodes.object(manager, u + "ActiveProgram", ladsName("ActiveProgram"));
      activeRunId =
          nodes.variable(
              active,
              u + "ActiveProgram.DeviceProgramRunId",
              ladsName("DeviceProgramRunId"),
              "",
              NodeIds.String);
      activeTemplate =
          nodes.variable(
              active,
              u + "ActiveProgram.CurrentProgramTemplate",
              ladsName("CurrentProgramTemplate"),
              "",
              NodeIds.String);
      resultSet = nodes.object(manager, u + "ResultSet", ladsName("ResultSet"));
    }

    private void setState(String s) {
      currentState.setValue(new DataValue(new Variant(LocalizedText.english(s))));
    }

    private String state() {
      return ((LocalizedText) currentState.getValue().getValue().getValue()).text();
    }

    private Variant[] startProgram(Variant[] in) throws UaException {
      String templateId = String.valueOf(in[0].getValue());
      CommandBinding command = programs.get(templateId);
      if (command == null) {
        throw new UaException(
            StatusCodes.Bad_InvalidArgument,
            "no program template '" + templateId + "'; this unit has " + programs.keySet());
      }
      Map<String, Object> properties = keyValues(in[1]);
      String jobId =
          in.length > 2 && in[2].getValue() != null ? String.valueOf(in[2].getValue()) : "";
      String taskId =
          in.length > 3 && in[3].getValue() != null ? String.valueOf(in[3].getValue()) : "";
      String runId;
      synchronized (lock) {
        if (state().equals(LadsModel.RUNNING)) {
          throw new UaException(
              StatusCodes.Bad_InvalidState,
              "the functional unit is Running program "
                  + activeTemplate.getValue().getValue().getValue());
        }
        runId = deviceName + "-" + unitName + "-" + runs.incrementAndGet();
        setState(LadsModel.RUNNING);
        activeRunId.setValue(new DataValue(new Variant(runId)));
        activeTemplate.setValue(new DataValue(new Variant(templateId)));
      }
      List<String> inputs = instrument.inputsOf(command);
      List<String> outputs = instrument.outputsOf(command);
      Map<String, Object> args = new LinkedHashMap<>();
      for (String i : inputs) {
        Object v = properties.get(i);
        if (v != null) args.put(i, instrument.isTextInput(i) ? v : number(v));
      }
      DateTime started = DateTime.now();
      workers.execute(
          () -> run(runId, templateId, jobId, taskId, command, inputs, outputs, args, started));
      return new Variant[] {new Variant(runId)};
    }

    private void run(
        String runId,
        String templateId,
        String jobId,
        String taskId,
        CommandBinding command,
        List<String> inputs,
        List<String> outputs,
        Map<String, Object> args,
        DateTime started) {
      Outcome outcome;
      try {
        outcome = instrument.handle(command.name(), inputs, outputs, args);
      } catch (RuntimeException e) {
        outcome = new Outcome.Failure(Outcome.Reason.REFUSED, "internal error: " + e);
      }
      if (outcome instanceof Outcome.Answer a) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String o : outputs) {
          Object v = a.outputs().get(o);
          if (v != null) values.put(o, plain(v));
        }
        result(
            runId,
            templateId,
            jobId,
            taskId,
            started,
            values,
            null,
            String.valueOf(args.getOrDefault("sampleId", "")));
        setState(LadsModel.STOPPED);
      } else if (outcome instanceof Outcome.Failure f) {
        result(runId, templateId, jobId, taskId, started, Map.of(), f.message(), "");
        setState(LadsModel.ABORTED);
      } else {
        Outcome.Faulted fault = (Outcome.Faulted) outcome;
        switch (fault.fault()) {
          case TIMEOUT -> {
            instrument.hang(command.timeout().map(t -> t.toMillis() + 5_000).orElse(HANG_MILLIS));
            setState(LadsModel.ABORTED);
          }
          case GARBAGE -> {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String o : outputs)
              values.put(o, ByteString.of(new byte[] {(byte) 0xde, (byte) 0xad, 0x00, 0x7f}));
            result(runId, templateId, jobId, taskId, started, values, null, "");
            setState(LadsModel.STOPPED);
          }
          default -> {
            setState(LadsModel.ABORTED);
            dropSessions();
          }
        }
      }
    }

    /**
     * The run's result object: ids, times, the outputs as variables, one ASM-style JSON result
     * file.
     */
    private void result(
        String runId,
        String templateId,
        String jobId,
        String taskId,
        DateTime started,
        Map<String, Object> values,
        String refusal,
        String sampleId) {
      String r = prefix + unitName + ".ResultSet." + runId;
      UaObjectNode result =
          nodes.object(resultSet, r, new QualifiedName(getNamespaceIndex(), runId));
      nodes.property(result, r + ".DeviceProgramRunId", ladsName("DeviceProgramRunId"), runId);
      nodes.property(result, r + ".SupervisoryJobId", ladsName("SupervisoryJobId"), jobId);
      nodes.property(result, r + ".SupervisoryTaskId", ladsName("SupervisoryTaskId"), taskId);
      nodes.property(result, r + ".Started", ladsName("Started"), started);
      if (refusal != null)
        nodes.property(
            result, r + ".Description", ladsName("Description"), LocalizedText.english(refusal));
      UaObjectNode variables = nodes.object(result, r + ".VariableSet", ladsName("VariableSet"));
      values.forEach(
          (k, v) ->
              nodes.variable(
                  variables,
                  r + ".VariableSet." + k,
                  new QualifiedName(getNamespaceIndex(), k),
                  v,
                  v instanceof Double
                      ? NodeIds.Double
                      : v instanceof ByteString ? NodeIds.ByteString : NodeIds.String));
      if (refusal == null) {
        UaObjectNode files = nodes.object(result, r + ".FileSet", ladsName("FileSet"));
        UaObjectNode file =
            nodes.object(files, r + ".FileSet.asm", new QualifiedName(getNamespaceIndex(), "asm"));
        nodes.property(file, r + ".FileSet.asm.Name", ladsName("Name"), runId + ".asm.json");
        nodes.property(file, r + ".FileSet.asm.MimeType", ladsName("MimeType"), LadsModel.ASM_MIME);
        byte[] asm =
            asm(runId, templateId, sampleId, values, started).getBytes(StandardCharsets.UTF_8);
        fileObject(file, r + ".FileSet.asm.File", asm);
      }
      // Stopped last: a client that sees it may read everything above.
      nodes.property(result, r + ".Stopped", ladsName("Stopped"), DateTime.now());
    }

    /**
     * A read-only OPC UA FileType: Size, Open(mode) -> handle, Read(handle, length) -> bytes,
     * Close(handle).
     */
    private void fileObject(UaObjectNode parent, String id, byte[] content) {
      UaObjectNode file = nodes.object(parent, id, ladsName("File"));
      nodes.property(
          file, id + ".Size", new QualifiedName(0, "Size"), ULong.valueOf(content.length));
      Map<Integer, Integer> positions = new ConcurrentHashMap<>();
      AtomicInteger handles = new AtomicInteger();
      nodes.method(
          file,
          id + ".Open",
          new QualifiedName(0, "Open"),
          new Argument[] {LadsNodes.argument("Mode", NodeIds.Byte, -1)},
          new Argument[] {LadsNodes.argument("FileHandle", NodeIds.UInt32, -1)},
          in -> {
            int mode = ((Number) in[0].getValue()).intValue();
            if (mode != 1)
              throw new UaException(
                  StatusCodes.Bad_NotWritable, "result files are read-only (mode 1)");
            int h = handles.incrementAndGet();
            positions.put(h, 0);
            return new Variant[] {new Variant(UInteger.valueOf(h))};
          });
      nodes.method(
          file,
          id + ".Read",
          new QualifiedName(0, "Read"),
          new Argument[] {
            LadsNodes.argument("FileHandle", NodeIds.UInt32, -1),
            LadsNodes.argument("Length", NodeIds.Int32, -1)
          },
          new Argument[] {LadsNodes.argument("Data", NodeIds.ByteString, -1)},
          in -> {
            int h = ((Number) in[0].getValue()).intValue();
            Integer pos = positions.get(h);
            if (pos == null)
              throw new UaException(StatusCodes.Bad_InvalidArgument, "no open file handle " + h);
            int n =
                Math.max(0, Math.min(((Number) in[1].getValue()).intValue(), content.length - pos));
            byte[] chunk = java.util.Arrays.copyOfRange(content, pos, pos + n);
            positions.put(h, pos + n);
            return new Variant[] {new Variant(ByteString.of(chunk))};
          });
      nodes.method(
          file,
          id + ".Close",
          new QualifiedName(0, "Close"),
          new Argument[] {LadsNodes.argument("FileHandle", NodeIds.UInt32, -1)},
          new Argument[0],
          in -> {
            positions.remove(((Number) in[0].getValue()).intValue());
            return new Variant[0];
          });
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
