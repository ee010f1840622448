package io.labloop.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.orchestrator.store.EventKind;
import io.labloop.orchestrator.store.Severity;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.json} is written by hand; these tests hold it to the code, both ways: the routes
 * the server registers, the fields of the views it sends, and the values of the enums it writes
 * into them. A route, a field or a value added on one side only fails here.
 */
class OpenApiTest {
  private static JsonNode doc;

  @BeforeAll
  static void read() throws Exception {
    try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
      doc = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void everyRouteIsDescribedAndEveryDescribedRouteExists() {
    Set<String> served = new TreeSet<>();
    try (ApiServer server =
        ApiServer.builder()
            .settings(ApiServer.Settings.loopback(0))
            .campaigns(new FakeCampaignService())
            .tokens(Tokens.builder().token("alice", "s3cret-token-for-alice").build())
            .metrics(() -> "")
            .build()
            .start()) {
      server
          .routes()
          .forEach(r -> served.add(r.method().name().toLowerCase(Locale.ROOT) + " " + r.path()));
    }
    Set<String> described = new TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(method -> described.add(method + " " + p.getKey())));
    assertEquals(served, described);
  }

  @Test
  void everyViewHasTheFieldsItsSchemaNames() {
    Map<String, Class<? extends Record>> views =
        Map.ofEntries(
            Map.entry("InstrumentDetail", InstrumentDetail.class),
            Map.entry("LeaseHolder", InstrumentDetail.Holder.class),
            Map.entry("LastCommand", InstrumentDetail.LastCommand.class),
            Map.entry("HealthProbe", InstrumentDetail.HealthProbe.class),
            Map.entry("Campaign", CampaignView.class),
            Map.entry("Experiment", ExperimentView.class),
            Map.entry("Observation", ObservationView.class),
            Map.entry("Instrument", InstrumentView.class),
            Map.entry("Agent", AgentView.class),
            Map.entry("Approval", ApprovalView.class),
            Map.entry("Event", EventView.class),
            Map.entry("ReloadResult", ReloadResult.class),
            Map.entry("ReleaseRequest", ReleaseRequest.class));
    views.forEach(
        (schema, type) -> {
          Set<String> fields =
              new TreeSet<>(
                  Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
          assertEquals(
              fields,
              names(
                  doc.get("components").get("schemas").get(schema).get("properties").fieldNames()),
              "schema " + schema + " against " + type.getSimpleName());
        });
  }

  @Test
  void theEnumsOfTheSchemasAreTheCodes() {
    JsonNode schemas = doc.get("components").get("schemas");
    assertEquals(
        new TreeSet<>(Arrays.stream(Severity.values()).map(Severity::name).toList()),
        values(schemas.get("Event").get("properties").get("severity")));
    assertEquals(
        new TreeSet<>(Arrays.stream(EventKind.values()).map(EventKind::label).toList()),
        values(schemas.get("Event").get("properties").get("kind")));
    assertEquals(
        new TreeSet<>(Arrays.stream(InstrumentStatus.State.values()).map(Enum::name).toList()),
        values(schemas.get("Instrument").get("properties").get("status")));
    Set<String> kinds = values(schemas.get("Instrument").get("properties").get("reasonKind"));
    kinds.remove("null");
    assertEquals(
        new TreeSet<>(Arrays.stream(InstrumentStatus.ReasonKind.values()).map(Enum::name).toList()),
        kinds);
  }

  private static Set<String> names(Iterator<String> it) {
    Set<String> out = new TreeSet<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static Set<String> values(JsonNode property) {
    Set<String> out = new TreeSet<>();
    property.get("enum").forEach(v -> out.add(v.asText()));
    return out;
  }
}
