package io.labloop.orchestrator.crate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a crate against RO-Crate 1.1 and the profiles it claims, in Java (no RO-Crate validator
 * runs on this machine): every type and property is a term of the RO-Crate 1.1 JSON-LD context (the
 * published file, in test resources) or of the Workflow Run terms the crate's second context adds;
 * the graph is flat and every local reference resolves; the metadata descriptor and root data
 * entity have what RO-Crate 1.1 requires; the root conforms to Process Run Crate 0.5, Workflow Run
 * Crate 0.5 and Workflow RO-Crate 1.0, each described; the main entity is a ComputationalWorkflow
 * file with a language; every CreateAction has an instrument that is a tool, resolvable objects and
 * results, ISO-8601 times and is mentioned by the root; one of them runs the main entity; every
 * File is in the crate with the SHA-256 and size it claims.
 */
final class CrateCheck {

  /**
   * The Workflow Run terms (https://w3id.org/ro/terms/workflow-run/context) beyond RO-Crate 1.1.
   */
  private static final Set<String> WFRUN_TERMS =
      Set.of(
          "ParameterConnection",
          "connection",
          "sourceParameter",
          "targetParameter",
          "md5",
          "sha1",
          "sha256",
          "sha512");

  private static final Set<String> TOOLS =
      Set.of("SoftwareApplication", "SoftwareSourceCode", "ComputationalWorkflow");

  private final Set<String> terms;
  private final ObjectMapper json = new ObjectMapper();

  CrateCheck() throws IOException {
    try (InputStream in = CrateCheck.class.getResourceAsStream("/rocrate/context-1.1.jsonld")) {
      JsonNode context = json.readTree(in).get("@context");
      Set<String> t = new HashSet<>();
      context.fieldNames().forEachRemaining(t::add);
      t.addAll(WFRUN_TERMS);
      terms = Set.copyOf(t);
    }
  }

  /** The problems found in the crate read from {@code source}; empty when it is valid. */
  List<String> problems(CrateFiles.Source source) throws IOException {
    List<String> p = new ArrayList<>();
    JsonNode doc = json.readTree(source.read("ro-crate-metadata.json"));
    JsonNode ctx = doc.get("@context");
    if (ctx == null
        || !(ctx.isArray() ? ctx.get(0).asText() : ctx.asText()).equals(CampaignCrate.CONTEXT)) {
      p.add("@context does not start with " + CampaignCrate.CONTEXT);
    }
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode n : doc.path("@graph")) {
      String id = n.path("@id").asText("");
      if (id.isEmpty()) p.add("an entity without @id: " + n);
      if (byId.put(id, n) != null) p.add("two entities with @id " + id);
    }
    for (JsonNode n : byId.values()) checkTermsAndShape(n, p);
    for (JsonNode n : byId.values()) {
      n.fields()
          .forEachRemaining(
              f -> {
                if (f.getKey().startsWith("@")) return;
                for (String ref : refs(f.getValue())) {
                  if (!isAbsolute(ref) && !byId.containsKey(ref))
                    p.add(
                        n.get("@id").asText()
                            + " "
                            + f.getKey()
                            + " -> "
                            + ref
                            + " is not in the graph");
                }
              });
    }

    JsonNode descriptor = byId.get("ro-crate-metadata.json");
    if (descriptor == null) {
      p.add("no metadata descriptor ro-crate-metadata.json");
    } else {
      if (!types(descriptor).contains("CreativeWork"))
        p.add("metadata descriptor is not a CreativeWork");
      if (!refs(descriptor.get("about")).equals(List.of("./")))
        p.add("metadata descriptor is not about ./");
      if (!refs(descriptor.get("conformsTo")).contains(CampaignCrate.RO_CRATE_1_1))
        p.add("metadata descriptor does not conform to RO-Crate 1.1");
    }

    JsonNode root = byId.get("./");
    if (root == null) {
      p.add("no root data entity ./");
      return p;
    }
    if (!types(root).contains("Dataset")) p.add("root is not a Dataset");
    for (String key : List.of("name", "description", "datePublished", "license"))
      if (!root.has(key)) p.add("root has no " + key);
    if (root.has("datePublished"))
      checkTime(root.get("datePublished").asText(), "root datePublished", p);
    List<String> conforms = refs(root.get("conformsTo"));
    for (String profile :
        List.of(
            CampaignCrate.PROCESS_RUN,
            CampaignCrate.WORKFLOW_RUN,
            CampaignCrate.WORKFLOW_RO_CRATE)) {
      if (!conforms.contains(profile)) p.add("root does not conform to " + profile);
      JsonNode pe = byId.get(profile);
      if (pe == null
          || !types(pe).contains("CreativeWork")
          || !pe.has("name")
          || !pe.has("version")) {
        p.add("profile " + profile + " is not described as a CreativeWork with name and version");
      }
    }

    List<String> main = refs(root.get("mainEntity"));
    JsonNode workflow = main.size() == 1 ? byId.get(main.get(0)) : null;
    if (workflow == null) {
      p.add("root has no mainEntity in the graph");
    } else {
      if (!types(workflow)
          .containsAll(List.of("File", "SoftwareSourceCode", "ComputationalWorkflow"))) {
        p.add("mainEntity is not File, SoftwareSourceCode and ComputationalWorkflow");
      }
      JsonNode lang =
          byId.get(refs(workflow.get("programmingLanguage")).stream().findFirst().orElse(""));
      if (lang == null || !types(lang).contains("ComputerLanguage"))
        p.add("mainEntity has no programmingLanguage ComputerLanguage");
      for (String io : List.of("input", "output")) {
        for (String ref : refs(workflow.get(io))) {
          JsonNode fp = byId.get(ref);
          if (fp == null
              || !types(fp).contains("FormalParameter")
              || !refs(fp.get("conformsTo")).contains(CampaignCrate.FORMAL_PARAMETER_PROFILE)) {
            p.add(
                "workflow "
                    + io
                    + " "
                    + ref
                    + " is not a FormalParameter conforming to the Bioschemas profile");
          }
        }
      }
    }

    List<String> mentioned = refs(root.get("mentions"));
    boolean runsWorkflow = false;
    for (JsonNode n : byId.values()) {
      if (!types(n).contains("CreateAction")) continue;
      String id = n.get("@id").asText();
      List<String> instruments = refs(n.get("instrument"));
      if (instruments.isEmpty()) p.add(id + " has no instrument");
      for (String i : instruments) {
        JsonNode tool = byId.get(i);
        if (tool == null || types(tool).stream().noneMatch(TOOLS::contains))
          p.add(id + " instrument " + i + " is not a tool");
      }
      if (workflow != null && instruments.contains(workflow.get("@id").asText()))
        runsWorkflow = true;
      if (!mentioned.contains(id)) p.add(id + " is not in the root's mentions");
      for (String t : List.of("startTime", "endTime"))
        if (n.has(t)) checkTime(n.get(t).asText(), id + " " + t, p);
      if (!n.has("name")) p.add(id + " has no name");
      if (n.has("error") && !"FailedActionStatus".equals(n.path("actionStatus").asText()))
        p.add(id + " has an error but is not failed");
    }
    if (!runsWorkflow)
      p.add("no CreateAction has the main entity as instrument (Workflow Run Crate)");

    for (String part : refs(root.get("hasPart"))) {
      JsonNode f = byId.get(part);
      if (f == null || !types(f).contains("File")) continue;
      byte[] bytes;
      try {
        bytes = source.read(part);
      } catch (NoSuchFileException e) {
        p.add("data entity " + part + " is not in the crate");
        continue;
      }
      if (f.has("sha256") && !f.get("sha256").asText().equals(CampaignCrate.sha256(bytes)))
        p.add(part + " does not have the sha256 it claims");
      if (f.has("contentSize") && Long.parseLong(f.get("contentSize").asText()) != bytes.length)
        p.add(part + " does not have the size it claims");
    }
    return p;
  }

  private void checkTermsAndShape(JsonNode n, List<String> p) {
    String id = n.path("@id").asText();
    for (String t : types(n))
      if (!terms.contains(t)) p.add(id + ": type " + t + " is not a term of the context");
    n.fields()
        .forEachRemaining(
            f -> {
              String key = f.getKey();
              if (key.startsWith("@")) return;
              if (!terms.contains(key))
                p.add(id + ": property " + key + " is not a term of the context");
              JsonNode v = f.getValue();
              for (JsonNode x : v.isArray() ? iterable(v) : List.of(v)) {
                if (x.isObject() && !(x.size() == 1 && x.has("@id")))
                  p.add(id + ": " + key + " nests an object (the graph must be flat)");
                if (x.isArray()) p.add(id + ": " + key + " nests an array");
              }
            });
  }

  private static void checkTime(String text, String what, List<String> p) {
    try {
      Instant.parse(text);
    } catch (DateTimeParseException e) {
      p.add(what + " is not an ISO-8601 time: " + text);
    }
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> l = new ArrayList<>();
    array.forEach(l::add);
    return l;
  }

  static List<String> types(JsonNode n) {
    JsonNode t = n.get("@type");
    if (t == null) return List.of();
    if (t.isArray()) return iterable(t).stream().map(JsonNode::asText).toList();
    return List.of(t.asText());
  }

  static List<String> refs(JsonNode v) {
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    for (JsonNode x : v.isArray() ? iterable(v) : List.of(v))
      if (x.isObject() && x.has("@id")) out.add(x.get("@id").asText());
    return out;
  }

  private static boolean isAbsolute(String ref) {
    return ref.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
  }
}
