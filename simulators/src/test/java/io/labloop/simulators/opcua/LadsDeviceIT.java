package io.labloop.simulators.opcua;

import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.junit.VirtualLabExtension;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The virtual lab's LADS device seen by a plain Milo client: every LADS and DI browse name it shows
 * is one the published LADS 1.0 / DI nodesets define, and a program started with a KeyValueType
 * property leaves a result with its variables.
 */
class LadsDeviceIT {

  private static Map<String, Object> tree() {
    Map<String, Object> commands =
        Map.of(
            "measure",
            Map.of(
                "program",
                "UVVisScan",
                "properties",
                Map.of("sampleId", "{sampleId}"),
                "outputs",
                List.of("peak")));
    Map<String, Object> instruments =
        Map.of(
            "spectrometer",
            Map.of(
                "driver",
                "lads",
                "endpoint",
                "opc.tcp://127.0.0.1:4841/lads",
                "device",
                "UVVis",
                "functional-unit",
                "Spectrometer",
                "commands",
                commands));
    Map<String, Object> simulation = new LinkedHashMap<>();
    simulation.put("seed", 1);
    simulation.put("time-scale", 0);
    simulation.put("world", Map.of("model", "silver-nanoparticles"));
    simulation.put(
        "instruments",
        Map.of(
            "spectrometer",
            Map.of("role", "measurer", "measures", List.of("peak"), "duration", 0)));
    Map<String, Object> lab = new LinkedHashMap<>();
    lab.put("lab", "lads-it");
    lab.put("instruments", instruments);
    lab.put("simulation", simulation);
    return lab;
  }

  @RegisterExtension static VirtualLabExtension sim = VirtualLabExtension.fromTree(tree());

  private OpcUaTestClient connection;
  private OpcUaClient client;

  @BeforeEach
  void connect() throws Exception {
    connection =
        OpcUaTestClient.connect(
            sim.lab().endpoint("spectrometer").address(), SecurityPolicy.None, null, null, 5_000);
    client = connection.raw().orElseThrow();
  }

  @AfterEach
  void close() {
    connection.close();
  }

  @Test
  void everyLadsAndDiBrowseNameIsDefinedByTheNodesets() throws Exception {
    Set<String> lads = browseNames("/lads/Opc.Ua.LADS.NodeSet2.xml", "4");
    Set<String> di = browseNames("/lads/Opc.Ua.Di.NodeSet2.xml", "1");
    UShort ladsNs = client.readNamespaceTable().getIndex(LadsModel.LADS_URI);
    UShort diNs = client.readNamespaceTable().getIndex(LadsModel.DI_URI);
    List<String> seen = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    walk(
        NodeIds.ObjectsFolder,
        0,
        (name) -> {
          if (name.namespaceIndex().equals(ladsNs)) {
            seen.add("LADS:" + name.name());
            if (!lads.contains(name.name())) unknown.add("LADS:" + name.name());
          } else if (name.namespaceIndex().equals(diNs)) {
            seen.add("DI:" + name.name());
            if (!di.contains(name.name())) unknown.add("DI:" + name.name());
          }
        });
    for (String expected :
        List.of(
            "DI:DeviceSet",
            "DI:Manufacturer",
            "LADS:FunctionalUnitSet",
            "LADS:FunctionalUnitState",
            "LADS:StartProgram",
            "LADS:ProgramManager",
            "LADS:ProgramTemplateSet",
            "LADS:ResultSet",
            "LADS:FunctionSet",
            "LADS:SensorValue")) {
      assertTrue(seen.contains(expected), expected + " not found; seen " + seen);
    }
    assertEquals(List.of(), unknown, "browse names the nodesets do not define");
  }

  @Test
  void aProgramStartedWithAKeyValuePropertyLeavesItsResult() throws Exception {
    UShort ladsNs = client.readNamespaceTable().getIndex(LadsModel.LADS_URI);
    NodeId unit =
        new NodeId(
            sim.lab().endpoint("spectrometer").details().get("object").contains("ns=")
                ? idx(sim.lab().endpoint("spectrometer").details().get("object"))
                : 2,
            "UVVis.Spectrometer.FunctionalUnitState");
    NodeId start = new NodeId(unit.getNamespaceIndex(), "UVVis.Spectrometer.StartProgram");
    byte[] k = "sampleId".getBytes(StandardCharsets.UTF_8);
    byte[] v = "NO-SUCH-SAMPLE".getBytes(StandardCharsets.UTF_8);
    byte[] body =
        ByteBuffer.allocate(8 + k.length + v.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(k.length)
            .put(k)
            .putInt(v.length)
            .put(v)
            .array();
    ExtensionObject property =
        ExtensionObject.of(ByteString.of(body), new NodeId(ladsNs, LadsModel.KEY_VALUE_BINARY));
    CallMethodResult r =
        client.call(
                List.of(
                    new CallMethodRequest(
                        unit,
                        start,
                        new Variant[] {
                          new Variant("UVVisScan"),
                          new Variant(new ExtensionObject[] {property}),
                          new Variant("job"),
                          new Variant("task"),
                          new Variant(new ExtensionObject[0])
                        })))
            .getResults()[0];
    assertTrue(r.getStatusCode().isGood(), r.getStatusCode().toString());
    String runId = (String) r.getOutputArguments()[0].getValue();
    NodeId stopped =
        new NodeId(unit.getNamespaceIndex(), "UVVis.Spectrometer.ResultSet." + runId + ".Stopped");
    NodeId description =
        new NodeId(
            unit.getNamespaceIndex(), "UVVis.Spectrometer.ResultSet." + runId + ".Description");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                client.readValue(0, TimestampsToReturn.Neither, stopped).getValue().getValue()
                    != null);
    // the property arrived: the device looked for that sample and refused for lack of it
    Object why = client.readValue(0, TimestampsToReturn.Neither, description).getValue().getValue();
    assertTrue(String.valueOf(why).contains("NO-SUCH-SAMPLE"), String.valueOf(why));
    assertEquals(1, sim.lab().journal("spectrometer").size());
    assertEquals(
        Map.of("sampleId", "NO-SUCH-SAMPLE"), sim.lab().journal("spectrometer").get(0).arguments());
  }

  private static int idx(String nodeId) {
    Matcher m = Pattern.compile("ns=(\\d+)").matcher(nodeId);
    return m.find() ? Integer.parseInt(m.group(1)) : 2;
  }

  private interface NameVisitor {
    void visit(QualifiedName name);
  }

  private void walk(NodeId node, int depth, NameVisitor visitor) throws Exception {
    if (depth > 8) return;
    BrowseDescription d =
        new BrowseDescription(
            node,
            BrowseDirection.Forward,
            NodeIds.HierarchicalReferences,
            true,
            uint(0),
            uint(BrowseResultMask.All.getValue()));
    ReferenceDescription[] refs = client.browse(d).getReferences();
    if (refs == null) return;
    for (ReferenceDescription ref : refs) {
      if (ref.getNodeId().getNamespaceIndex().intValue() == 0)
        continue; // the server's own standard nodes
      visitor.visit(ref.getBrowseName());
      NodeId child = ref.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
      walk(child, depth + 1, visitor);
    }
  }

  /**
   * The names of BrowseName="N:Name" attributes in a nodeset file, for namespace N of that file.
   */
  private static Set<String> browseNames(String resource, String ns) throws Exception {
    try (InputStream in = LadsDeviceIT.class.getResourceAsStream(resource)) {
      String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Set<String> names = new HashSet<>();
      Matcher m = Pattern.compile("BrowseName=\"" + ns + ":([^\"]+)\"").matcher(xml);
      while (m.find()) names.add(m.group(1));
      return names;
    }
  }
}
