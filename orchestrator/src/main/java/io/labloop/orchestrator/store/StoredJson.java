package io.labloop.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.planners.Point;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON columns (points, objective values, step arguments and outputs, planner details): how a
 * value is written and how it is read back. Reading normalises numbers to {@code Double}, so a
 * point read from the store equals the point that was written whichever number type JSON chose.
 */
final class StoredJson {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final ObjectMapper json = new ObjectMapper();

  String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + value, e);
    }
  }

  Map<String, Object> map(String text) {
    if (text == null) return Map.of();
    try {
      return json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is damaged: " + text, e);
    }
  }

  /** Points keep numbers as Double and names as String, whatever JSON made of them. */
  Point point(String text) {
    Map<String, Object> raw = map(text);
    Map<String, Object> values = new LinkedHashMap<>();
    raw.forEach((k, v) -> values.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
    return new Point(values);
  }

  Map<String, Double> doubles(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    map(text).forEach((k, v) -> out.put(k, v instanceof Number n ? n.doubleValue() : Double.NaN));
    return out;
  }
}
