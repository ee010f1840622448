package io.labloop.orchestrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The JSON Schemas editors use stay in step with the keys the readers accept. */
class SchemaTest {

  private static final Path SCHEMAS = Path.of("..", "config", "schema");

  @Test
  void theLabSchemaHasExactlyTheLabFilesTopKeys() throws IOException {
    assertEquals(new TreeSet<>(LabReader.TOP_KEYS), topKeys("lab.schema.json"));
  }

  @Test
  void theCampaignSchemaHasExactlyTheCampaignFilesTopKeys() throws IOException {
    assertEquals(new TreeSet<>(CampaignReader.TOP_KEYS), topKeys("campaign.schema.json"));
  }

  @Test
  void theSchemasKnowTheSameGoalsAndParameterTypes() throws IOException {
    JsonNode campaign =
        new ObjectMapper().readTree(SCHEMAS.resolve("campaign.schema.json").toFile());
    assertEquals(
        CampaignReader.GOALS, strings(campaign.at("/definitions/objective/properties/goal/enum")));
    assertEquals(
        SpaceReader.TYPES, strings(campaign.at("/definitions/parameter/properties/type/enum")));
    assertEquals(
        new TreeSet<>(io.labloop.planners.Planners.TYPES),
        new TreeSet<>(strings(campaign.at("/properties/planner/properties/type/enum"))));
  }

  private static Set<String> topKeys(String file) throws IOException {
    JsonNode schema = new ObjectMapper().readTree(SCHEMAS.resolve(file).toFile());
    Set<String> keys = new TreeSet<>();
    schema.get("properties").fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static List<String> strings(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
