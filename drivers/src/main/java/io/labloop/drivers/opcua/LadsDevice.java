package io.labloop.drivers.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Finds a LADS functional unit by browsing, the way LADS lays a device out: Objects → DI {@code
 * DeviceSet} → a device with a LADS {@code FunctionalUnitSet} → a functional unit with {@code
 * FunctionalUnitState} (CurrentState and the StartProgram/Start/Stop/Abort methods), {@code
 * ProgramManager} ({@code ResultSet}, {@code ProgramTemplateSet}) and {@code FunctionSet}. Browse
 * names are matched by name within the LADS and DI namespaces looked up by URI in the server's
 * namespace table, so node ids may be anything; a server without the LADS namespace is not a LADS
 * device and the error says so.
 */
final class LadsDevice {

  static final String LADS_URI = "http://opcfoundation.org/UA/LADS/";
  static final String DI_URI = "http://opcfoundation.org/UA/DI/";

  /** A node found by browsing: its browse name and id. */
  record Child(QualifiedName name, NodeId id) {}

  /** The nodes of one functional unit that the driver uses. */
  record Unit(
      String device,
      String name,
      UShort lads,
      NodeId stateMachine,
      NodeId currentState,
      Map<String, NodeId> methods,
      NodeId resultSet,
      Optional<NodeId> templates,
      Map<String, NodeId> functions) {}

  /** Something on the server that is not the LADS layout the lab file expects. */
  static final class NotLads extends Exception {
    NotLads(String message) {
      super(message);
    }
  }

  private LadsDevice() {}

  static Unit find(OpcUaClient client, Optional<String> device, Optional<String> unit)
      throws UaException, NotLads {
    NamespaceTable table = client.readNamespaceTable();
    UShort lads = table.getIndex(LADS_URI);
    UShort di = table.getIndex(DI_URI);
    if (lads == null)
      throw new NotLads(
          "the server has no LADS namespace (" + LADS_URI + "): it is not a LADS device");
    if (di == null)
      throw new NotLads(
          "the server has no DI namespace (" + DI_URI + "), so no DeviceSet of LADS devices");
    Child deviceSet =
        child(client, NodeIds.ObjectsFolder, di, "DeviceSet")
            .orElseThrow(() -> new NotLads("the server has no DeviceSet under Objects"));
    List<Child> devices = new ArrayList<>();
    Map<Child, Child> unitSets = new LinkedHashMap<>();
    for (Child d : children(client, deviceSet.id())) {
      Optional<Child> set = child(client, d.id(), lads, "FunctionalUnitSet");
      if (set.isPresent()) {
        devices.add(d);
        unitSets.put(d, set.get());
      }
    }
    Child chosen = pick(devices, device, "LADS device", "DeviceSet");
    List<Child> units = children(client, unitSets.get(chosen).id());
    Child u = pick(units, unit, "functional unit", chosen.name().name() + "/FunctionalUnitSet");

    Map<String, Child> parts = byName(children(client, u.id()), lads);
    Child state = need(parts, "FunctionalUnitState", u);
    Map<String, NodeId> methods = new LinkedHashMap<>();
    NodeId current = null;
    for (Child c : children(client, state.id())) {
      if (c.name().name().equals("CurrentState")) current = c.id();
      else if (c.name().namespaceIndex().equals(lads)) methods.put(c.name().name(), c.id());
    }
    if (current == null)
      throw new NotLads(u.name().name() + "/FunctionalUnitState has no CurrentState");
    Child manager = need(parts, "ProgramManager", u);
    Map<String, Child> managerParts = byName(children(client, manager.id()), lads);
    Child results = need(managerParts, "ResultSet", manager);
    Map<String, NodeId> functions = new LinkedHashMap<>();
    if (parts.containsKey("FunctionSet")) {
      for (Child f : children(client, parts.get("FunctionSet").id()))
        functions.put(f.name().name(), f.id());
    }
    return new Unit(
        chosen.name().name(),
        u.name().name(),
        lads,
        state.id(),
        current,
        methods,
        results.id(),
        Optional.ofNullable(managerParts.get("ProgramTemplateSet")).map(Child::id),
        functions);
  }

  private static Child pick(List<Child> found, Optional<String> wanted, String what, String where)
      throws NotLads {
    if (found.isEmpty()) throw new NotLads("no " + what + " under " + where);
    if (wanted.isEmpty()) return found.get(0);
    for (Child c : found) if (c.name().name().equals(wanted.get())) return c;
    throw new NotLads(
        "no "
            + what
            + " '"
            + wanted.get()
            + "' under "
            + where
            + "; there are "
            + found.stream().map(c -> c.name().name()).toList());
  }

  private static Child need(Map<String, Child> parts, String name, Child parent) throws NotLads {
    Child c = parts.get(name);
    if (c == null) throw new NotLads(parent.name().name() + " has no " + name + " (LADS)");
    return c;
  }

  /** The children in the LADS namespace, by name. */
  static Map<String, Child> byName(List<Child> children, UShort ns) {
    Map<String, Child> out = new LinkedHashMap<>();
    for (Child c : children)
      if (c.name().namespaceIndex().equals(ns)) out.putIfAbsent(c.name().name(), c);
    return out;
  }

  /** Every child by a hierarchical reference (components, properties, organizes). */
  static List<Child> children(OpcUaClient client, NodeId node) throws UaException {
    BrowseDescription d =
        new BrowseDescription(
            node,
            BrowseDirection.Forward,
            NodeIds.HierarchicalReferences,
            true,
            uint(0),
            uint(BrowseResultMask.All.getValue()));
    BrowseResult r = client.browse(d);
    if (r.getStatusCode().isBad())
      throw new UaException(r.getStatusCode(), "browse " + node.toParseableString());
    List<Child> out = new ArrayList<>();
    if (r.getReferences() == null) return out;
    for (ReferenceDescription ref : r.getReferences()) {
      ref.getNodeId()
          .toNodeId(client.getNamespaceTable())
          .ifPresent(id -> out.add(new Child(ref.getBrowseName(), id)));
    }
    return out;
  }

  static Optional<Child> child(OpcUaClient client, NodeId node, UShort ns, String name)
      throws UaException {
    for (Child c : children(client, node)) {
      if (c.name().name().equals(name) && c.name().namespaceIndex().equals(ns))
        return Optional.of(c);
    }
    return Optional.empty();
  }
}
