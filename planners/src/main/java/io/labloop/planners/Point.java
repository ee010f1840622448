package io.labloop.planners;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One assignment of values to parameters, in the space's parameter order. Numbers are {@code
 * Double}, categorical values {@code String}.
 */
public record Point(Map<String, Object> values) {

  public Point {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public Object get(String name) {
    Object v = values.get(name);
    if (v == null) throw new IllegalArgumentException("point has no value for '" + name + "'");
    return v;
  }

  public double number(String name) {
    return ((Number) get(name)).doubleValue();
  }

  public String text(String name) {
    return get(name).toString();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
