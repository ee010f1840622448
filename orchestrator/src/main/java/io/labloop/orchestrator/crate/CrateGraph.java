package io.labloop.orchestrator.crate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A crate's JSON-LD graph: the flat list of entities, in insertion order, one per {@code @id}. */
final class CrateGraph {
  private final ObjectMapper json;
  private final Map<String, ObjectNode> byId = new LinkedHashMap<>();

  CrateGraph(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode entity(String id, String... types) {
    if (byId.containsKey(id)) throw new IllegalStateException("two entities with @id " + id);
    ObjectNode n = json.createObjectNode();
    n.put("@id", id);
    if (types.length == 1) n.put("@type", types[0]);
    else {
      ArrayNode t = n.putArray("@type");
      for (String s : types) t.add(s);
    }
    byId.put(id, n);
    return n;
  }

  boolean has(String id) {
    return byId.containsKey(id);
  }

  List<ObjectNode> entities() {
    return List.copyOf(byId.values());
  }
}
