package io.labloop.drivers.opcua;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;

/**
 * Finds a program run's result in a functional unit's ResultSet without going through the whole
 * set, which a device keeps growing (one result per run, for weeks).
 *
 * <p>LADS (OPC 30500) has StartProgram return a DeviceProgramRunId and the result carry it, but
 * does not fix the result's BrowseName. Devices commonly name it after the run id, so the first
 * look is one TranslateBrowsePathsToNodeIds of {@code ResultSet/<run id>}, whose cost does not
 * depend on the number of results. The namespace of that name is not known in advance: the
 * candidates are the ResultSet's own namespace and LADS's, until a result found by its name fixes
 * it. Once a result was found under its run id, the unit is known to name results so and a miss
 * only means the run has not ended.
 *
 * <p>Until then (and for a device that names results otherwise) the fallback browses the ResultSet
 * and reads the DeviceProgramRunId of each result not examined before: the results that were there
 * before StartProgram are noted unread (none of them can be the new run's), so a poll reads only
 * the results that appeared since, newest first and at most {@link #READS_PER_POLL}. The memory of
 * examined results is bounded by the ResultSet: ids the device no longer lists are forgotten.
 * Should a unit whose naming is known stop naming results so (new firmware behind the same node
 * ids), a run that is not found directly takes the fallback after 64 misses, then after 128, 256
 * and so on: late, but found, at a cost that grows with the logarithm of the run's length.
 */
final class LadsResults {

  /** What the lookups have cost so far, for the tests to check that they stay cheap. */
  record Counts(long directLookups, long resultSetBrowses, long resultsExamined) {}

  /** At most this many results read per poll, so that no poll costs the whole ResultSet. */
  static final int READS_PER_POLL = 32;

  /** Direct misses of one run after which a unit with known naming tries the fallback once. */
  static final int FIRST_CHECK = 64;

  private final LadsDevice.Unit unit;

  /** The namespace of results' browse names once a result was found under its run id. */
  private volatile UShort named;

  /** False once the server refused TranslateBrowsePathsToNodeIds: only the fallback is left. */
  private volatile boolean direct = true;

  private final Set<NodeId> examined = ConcurrentHashMap.newKeySet();

  /** The run last found by the fallback: its node is examined, so it is not found twice. */
  private final AtomicReference<Found> found = new AtomicReference<>();

  private final AtomicLong directLookups = new AtomicLong();
  private final AtomicLong resultSetBrowses = new AtomicLong();
  private final AtomicLong resultsExamined = new AtomicLong();

  private record Found(String runId, LadsDevice.Child result) {}

  /** The run being looked for while the naming is known, and how often it was missed. */
  private String missedRun;

  private long misses;

  LadsResults(LadsDevice.Unit unit) {
    this.unit = unit;
  }

  LadsDevice.Unit unit() {
    return unit;
  }

  Counts counts() {
    return new Counts(directLookups.get(), resultSetBrowses.get(), resultsExamined.get());
  }

  /**
   * Before a StartProgram, while the naming is unknown: notes the results already there, and learns
   * the naming from one of them (the last listed, likely the newest) at the cost of one browse and
   * one read, so that even the first run on a device with many results reads none of them.
   */
  void beforeStart(OpcUaClient client) throws UaException {
    if (named != null) return;
    List<LadsDevice.Child> results = browseResultSet(client);
    Set<NodeId> listed = new HashSet<>();
    for (LadsDevice.Child r : results) listed.add(r.id());
    // exactly what is there now: an id a restarted device gives a new result is not skipped
    examined.retainAll(listed);
    examined.addAll(listed);
    if (results.isEmpty()) return;
    LadsDevice.Child last = results.get(results.size() - 1);
    if (last.name().name().equals(runIdOf(client, last).orElse(null)))
      named = last.name().namespaceIndex();
  }

  /** The run's result node, if the device lists it yet. */
  Optional<LadsDevice.Child> find(OpcUaClient client, String runId) throws UaException {
    Found f = found.get();
    if (f != null && f.runId().equals(runId)) return Optional.of(f.result());
    if (direct) {
      Optional<LadsDevice.Child> r = byBrowsePath(client, runId);
      if (r.isPresent() || (named != null && !checkNow(runId))) return r;
    }
    return byRunId(client, runId);
  }

  /** Whether a run missed directly on a unit with known naming takes the fallback this time. */
  private synchronized boolean checkNow(String runId) {
    if (!runId.equals(missedRun)) {
      missedRun = runId;
      misses = 0;
    }
    misses++;
    return misses >= FIRST_CHECK && Long.bitCount(misses) == 1;
  }

  private Optional<LadsDevice.Child> byBrowsePath(OpcUaClient client, String runId)
      throws UaException {
    Set<UShort> namespaces = new LinkedHashSet<>();
    if (named != null) namespaces.add(named);
    else {
      namespaces.add(unit.resultSet().getNamespaceIndex());
      namespaces.add(unit.lads());
    }
    List<BrowsePath> paths = new ArrayList<>();
    List<QualifiedName> names = new ArrayList<>();
    for (UShort ns : namespaces) {
      QualifiedName name = new QualifiedName(ns, runId);
      names.add(name);
      RelativePathElement step =
          new RelativePathElement(NodeIds.HierarchicalReferences, false, true, name);
      paths.add(
          new BrowsePath(unit.resultSet(), new RelativePath(new RelativePathElement[] {step})));
    }
    BrowsePathResult[] results;
    try {
      directLookups.incrementAndGet();
      results = client.translateBrowsePaths(paths).getResults();
    } catch (UaException e) {
      if (e.getStatusCode().getValue() != StatusCodes.Bad_ServiceUnsupported) throw e;
      direct = false;
      return Optional.empty();
    }
    for (int i = 0; results != null && i < results.length; i++) {
      StatusCode status = results[i].getStatusCode();
      // the ResultSet itself gone: the device was rebuilt, which the caller handles
      if (status.getValue() == StatusCodes.Bad_NodeIdUnknown)
        throw new UaException(status, "look up ResultSet/" + runId);
      if (!status.isGood() || results[i].getTargets() == null) continue;
      for (var target : results[i].getTargets()) {
        Optional<NodeId> id = target.getTargetId().toNodeId(client.getNamespaceTable());
        if (id.isPresent()) {
          named = names.get(i).namespaceIndex();
          return Optional.of(new LadsDevice.Child(names.get(i), id.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** The fallback: a result named after the run id in any namespace, else new results' run ids. */
  private Optional<LadsDevice.Child> byRunId(OpcUaClient client, String runId) throws UaException {
    List<LadsDevice.Child> results = browseResultSet(client);
    for (LadsDevice.Child r : results) {
      if (r.name().name().equals(runId)) {
        named = r.name().namespaceIndex();
        return Optional.of(r);
      }
    }
    Set<NodeId> listed = new HashSet<>();
    Optional<LadsDevice.Child> match = Optional.empty();
    int reads = 0;
    // newest last as devices list them, so read from the end: the run's own result comes first
    for (int i = results.size() - 1; i >= 0; i--) {
      LadsDevice.Child r = results.get(i);
      listed.add(r.id());
      if (match.isPresent() || reads >= READS_PER_POLL || !examined.add(r.id())) continue;
      reads++;
      Optional<String> id = runIdOf(client, r);
      // a result listed before its DeviceProgramRunId: looked at again on the next poll
      if (id.isEmpty()) examined.remove(r.id());
      else if (id.get().equals(runId)) match = Optional.of(r);
    }
    examined.retainAll(listed);
    match.ifPresent(r -> found.set(new Found(runId, r)));
    return match;
  }

  private List<LadsDevice.Child> browseResultSet(OpcUaClient client) throws UaException {
    resultSetBrowses.incrementAndGet();
    return LadsDevice.children(client, unit.resultSet());
  }

  /** The result's DeviceProgramRunId, if it has one yet. */
  private Optional<String> runIdOf(OpcUaClient client, LadsDevice.Child result) throws UaException {
    resultsExamined.incrementAndGet();
    LadsDevice.Child id =
        LadsDevice.byName(LadsDevice.children(client, result.id()), unit.lads())
            .get("DeviceProgramRunId");
    if (id == null) return Optional.empty();
    DataValue v = client.readValue(0.0, TimestampsToReturn.Neither, id.id());
    if (v.getStatusCode() != null && v.getStatusCode().isBad()) return Optional.empty();
    Object value = v.getValue() == null ? null : v.getValue().getValue();
    if (value == null) return Optional.empty();
    return Optional.of(value instanceof LocalizedText t ? t.text() : String.valueOf(value));
  }
}
