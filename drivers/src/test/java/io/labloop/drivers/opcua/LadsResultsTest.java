package io.labloop.drivers.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathTarget;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.TranslateBrowsePathsToNodeIdsResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fallback of {@link LadsResults} on a device that does not name results after their run id
 * (the virtual lab always does, so this device is a stub): each poll reads only the results that
 * appeared since the program started, however many the device keeps.
 */
class LadsResultsTest {

  private static final UShort DEVICE = ushort(1);
  private static final UShort LADS = ushort(2);
  private static final NodeId RESULT_SET = new NodeId(1, "ResultSet");

  /** The run id of each stored result, in order; null while a result has no id property yet. */
  private final List<String> stored = new ArrayList<>();

  private OpcUaClient client;
  private LadsResults results;
  private int reads;

  /** Whether the stub names results after their run id (else {@code Result <i>}). */
  private boolean namedByRunId;

  @BeforeEach
  void device() throws Exception {
    client = mock(OpcUaClient.class);
    when(client.getNamespaceTable())
        .thenReturn(new NamespaceTable("urn:test:device", LadsDevice.LADS_URI));
    when(client.browse(any(BrowseDescription.class)))
        .thenAnswer(a -> browse(a.getArgument(0, BrowseDescription.class).getNodeId()));
    when(client.readValue(anyDouble(), any(), any(NodeId.class)))
        .thenAnswer(
            a -> {
              reads++;
              String id = a.getArgument(2, NodeId.class).getIdentifier().toString();
              int i = Integer.parseInt(id.substring(1, id.indexOf('.')));
              return new DataValue(new Variant(stored.get(i)));
            });
    when(client.translateBrowsePaths(anyList()))
        .thenAnswer(
            a -> {
              List<BrowsePath> paths = a.getArgument(0);
              TranslateBrowsePathsToNodeIdsResponse r =
                  mock(TranslateBrowsePathsToNodeIdsResponse.class);
              BrowsePathResult[] none = new BrowsePathResult[paths.size()];
              for (int i = 0; i < none.length; i++)
                none[i] =
                    new BrowsePathResult(
                        new StatusCode(StatusCodes.Bad_NoMatch), new BrowsePathTarget[0]);
              when(r.getResults()).thenReturn(none);
              return r;
            });
    LadsDevice.Unit unit =
        new LadsDevice.Unit(
            "Device",
            "Unit",
            LADS,
            new NodeId(1, "State"),
            new NodeId(1, "State.CurrentState"),
            Map.of(),
            RESULT_SET,
            Optional.empty(),
            Map.of());
    results = new LadsResults(unit);
  }

  /** The ResultSet lists {@code R<i>} named {@code Result <i>}; a result lists its id property. */
  private BrowseResult browse(NodeId node) {
    List<ReferenceDescription> refs = new ArrayList<>();
    String id = node.getIdentifier().toString();
    if (node.equals(RESULT_SET)) {
      for (int i = 0; i < stored.size(); i++)
        refs.add(
            ref(
                new NodeId(1, "R" + i),
                new QualifiedName(DEVICE, namedByRunId ? stored.get(i) : "Result " + i)));
    } else if (stored.get(Integer.parseInt(id.substring(1))) != null) {
      refs.add(ref(new NodeId(1, id + ".id"), new QualifiedName(LADS, "DeviceProgramRunId")));
    }
    return new BrowseResult(
        StatusCode.GOOD, ByteString.NULL_VALUE, refs.toArray(new ReferenceDescription[0]));
  }

  private static ReferenceDescription ref(NodeId id, QualifiedName name) {
    return new ReferenceDescription(
        NodeIds.HasComponent,
        true,
        id.expanded(),
        name,
        LocalizedText.english(name.name()),
        NodeClass.Object,
        NodeIds.BaseObjectType.expanded());
  }

  @Test
  void eachPollReadsOnlyTheResultsThatAppearedSinceTheStart() throws Exception {
    for (int i = 0; i < 500; i++) stored.add("run-" + i);
    results.beforeStart(client);
    // learning the naming cost one stored result, and the naming is not the run id
    assertEquals(1, reads);
    for (int poll = 0; poll < 5; poll++) assertTrue(results.find(client, "run-500").isEmpty());
    assertEquals(1, reads);
    stored.add(null); // listed before its DeviceProgramRunId: looked at again next poll
    assertTrue(results.find(client, "run-500").isEmpty());
    stored.set(500, "run-500");
    Optional<LadsDevice.Child> found = results.find(client, "run-500");
    assertEquals(new NodeId(1, "R500"), found.orElseThrow().id());
    assertEquals(2, reads);
    // found once, found again without reading (the result is examined now)
    assertEquals(found, results.find(client, "run-500"));
    assertEquals(2, reads);

    // the next run: the new result among 501, one read before the start and one for it
    results.beforeStart(client);
    stored.add("run-501");
    assertEquals(new NodeId(1, "R501"), results.find(client, "run-501").orElseThrow().id());
    assertEquals(4, reads);
    // five looked at: the four read and the one seen before it had its id
    assertEquals(5, results.counts().resultsExamined());
  }

  @Test
  void onAnEmptyDeviceTheFirstResultIsFoundByItsRunId() throws Exception {
    results.beforeStart(client);
    assertEquals(0, reads);
    assertTrue(results.find(client, "run-0").isEmpty());
    stored.add("run-0");
    assertEquals(new NodeId(1, "R0"), results.find(client, "run-0").orElseThrow().id());
    assertEquals(1, reads);
    assertEquals(new LadsResults.Counts(2, 3, 1), results.counts());
  }

  @Test
  void noPollReadsMoreThanItsShareOfResults() throws Exception {
    for (int i = 0; i < 100; i++) stored.add("run-" + i);
    // nothing noted before the start (say a run started by an earlier connection): the fallback
    // reads newest first, a bounded number per poll
    assertTrue(results.find(client, "run-10").isEmpty());
    assertEquals(LadsResults.READS_PER_POLL, reads);
    assertTrue(results.find(client, "run-10").isEmpty());
    assertEquals(2 * LadsResults.READS_PER_POLL, reads);
    assertEquals(new NodeId(1, "R10"), results.find(client, "run-10").orElseThrow().id());
  }

  @Test
  void aUnitThatStopsNamingResultsByRunIdStillHasItsResultFound() throws Exception {
    namedByRunId = true;
    stored.add("run-0");
    assertTrue(results.find(client, "run-0").isPresent()); // by name: the naming is learned
    long browses = results.counts().resultSetBrowses();
    namedByRunId = false;
    results.beforeStart(client); // nothing to do: the naming is known
    stored.add("run-1");
    for (int poll = 1; poll < LadsResults.FIRST_CHECK; poll++)
      assertTrue(results.find(client, "run-1").isEmpty());
    assertEquals(browses, results.counts().resultSetBrowses());
    assertEquals(new NodeId(1, "R1"), results.find(client, "run-1").orElseThrow().id());
    assertEquals(browses + 1, results.counts().resultSetBrowses());
  }
}
