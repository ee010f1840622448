package io.labloop.orchestrator.crate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The crate's vocabulary in code: the {@code @id} scheme of its entities (experiments, parameters,
 * objectives, instruments and their commands) and the small builders for the entity shapes used
 * throughout (references, profiles, formal parameters, data files, property values).
 */
final class CrateEntities {

  private CrateEntities() {}

  static String experimentId(int seq) {
    return "#experiment/" + seq;
  }

  static String parameterId(String name) {
    return "#param/" + name;
  }

  static String objectiveId(String name) {
    return "#objective/" + name;
  }

  static String instrumentId(String name) {
    return "#instrument/" + name;
  }

  static String commandId(String instrument, String command) {
    return "#instrument/" + instrument + "/command/" + command;
  }

  static String attemptKey(int seq, int stepIndex, int attempt) {
    return seq + "/" + stepIndex + "/" + attempt;
  }

  static void profile(CrateGraph g, String id, String name, String version) {
    ObjectNode p = g.entity(id, "CreativeWork");
    p.put("name", name);
    p.put("version", version);
  }

  static void formalParameter(CrateGraph g, String id, CampaignTerms.Term t, String what) {
    ObjectNode p = g.entity(id, "FormalParameter");
    p.set("conformsTo", ref(CampaignCrate.FORMAL_PARAMETER_PROFILE));
    p.put("name", t.name());
    p.put("additionalType", t.numeric() ? "Float" : "Text");
    p.put(
        "description",
        what + " '" + t.name() + "'" + (t.unit().isEmpty() ? "" : " in " + t.unit()));
    if (!t.unit().isEmpty()) p.put("unitText", t.unit());
  }

  static ObjectNode dataFile(
      CrateGraph g,
      ArrayNode hasPart,
      String path,
      String mediaType,
      String name,
      String description) {
    ObjectNode f = g.entity(path, "File");
    f.put("name", name);
    f.put("description", description);
    f.put("encodingFormat", mediaType);
    hasPart.add(ref(path));
    return f;
  }

  /**
   * A named value: {@code propertyID} says which kind (requested, achieved, objective, argument,
   * ...).
   */
  static void propertyValue(
      CrateGraph g,
      String id,
      String name,
      String kind,
      Object value,
      String unit,
      String parameter) {
    ObjectNode pv = g.entity(id, "PropertyValue");
    pv.put("name", name);
    pv.put("propertyID", kind);
    if (value instanceof Double d) pv.put("value", d);
    else if (value instanceof Float f) pv.put("value", f.doubleValue());
    else if (value instanceof Long l) pv.put("value", l);
    else if (value instanceof Integer i) pv.put("value", i);
    else if (value instanceof Boolean b) pv.put("value", b);
    else pv.put("value", String.valueOf(value));
    if (unit != null && !unit.isEmpty()) pv.put("unitText", unit);
    if (parameter != null) pv.set("exampleOfWork", ref(parameter));
  }

  static ObjectNode ref(String id) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("@id", id);
    return n;
  }

  static ArrayNode refs(String... ids) {
    ArrayNode a = new ObjectMapper().createArrayNode();
    for (String id : ids) a.add(ref(id));
    return a;
  }
}
