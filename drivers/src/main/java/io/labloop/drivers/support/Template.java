package io.labloop.drivers.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A text with {@code {name}} placeholders filled from a command's arguments, e.g. {@code MEAS
 * {sampleId}}. {@code {{} and {@code }}} stand for literal braces. The text is parsed once, when
 * the lab file is read, so a malformed template is a settings problem and not a failure in the
 * middle of a campaign.
 */
public final class Template {

  private sealed interface Part permits Literal, Slot {}

  private record Literal(String text) implements Part {}

  private record Slot(String name) implements Part {}

  private final String source;
  private final List<Part> parts;

  private Template(String source, List<Part> parts) {
    this.source = source;
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException naming the column of an unclosed or empty placeholder
   */
  public static Template parse(String source) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '{' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '{') {
        int end = source.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException(
              "unclosed '{' at column " + (i + 1) + " of '" + source + "'");
        }
        String name = source.substring(i + 1, end).trim();
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              "empty '{}' at column " + (i + 1) + " of '" + source + "'");
        }
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Slot(name));
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) parts.add(new Literal(literal.toString()));
    return new Template(source, parts);
  }

  /** The argument names the template uses, in order of first use. */
  public Set<String> names() {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Part p : parts) if (p instanceof Slot s) names.add(s.name());
    return names;
  }

  /**
   * The name of the argument if the whole template is one placeholder ({@code "{sampleId}"}), so
   * structured payloads can keep the argument's type instead of turning it into text.
   */
  public java.util.Optional<String> soleName() {
    return parts.size() == 1 && parts.get(0) instanceof Slot s
        ? java.util.Optional.of(s.name())
        : java.util.Optional.empty();
  }

  /**
   * Fills the placeholders.
   *
   * @throws IllegalArgumentException naming the missing argument and those that were given
   */
  public String render(Map<String, ?> arguments) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      if (p instanceof Literal l) {
        out.append(l.text());
      } else if (p instanceof Slot s) {
        out.append(Values.toText(lookup(s.name(), arguments)));
      }
    }
    return out.toString();
  }

  /**
   * Renders a structured template (a JSON payload as maps, lists and scalars): strings are
   * templates; a string that is exactly one placeholder becomes the argument's own value (a number
   * stays a number).
   */
  public static Object renderTree(Object tree, Map<String, ?> arguments) {
    if (tree instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), renderTree(v, arguments)));
      return out;
    }
    if (tree instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object v : list) out.add(renderTree(v, arguments));
      return out;
    }
    if (tree instanceof String s) {
      Template t = parse(s);
      return t.soleName()
          .<Object>map(n -> lookup(n, arguments))
          .orElseGet(() -> t.render(arguments));
    }
    return tree;
  }

  /** Checks every string of a structured template; returns the names it uses. */
  public static Set<String> namesInTree(Object tree) {
    Set<String> names = new java.util.LinkedHashSet<>();
    if (tree instanceof Map<?, ?> map) {
      map.values().forEach(v -> names.addAll(namesInTree(v)));
    } else if (tree instanceof List<?> list) {
      list.forEach(v -> names.addAll(namesInTree(v)));
    } else if (tree instanceof String s) {
      names.addAll(parse(s).names());
    }
    return names;
  }

  private static Object lookup(String name, Map<String, ?> arguments) {
    if (!arguments.containsKey(name) || arguments.get(name) == null) {
      throw new IllegalArgumentException(
          "the template needs argument '"
              + name
              + "' but the command has "
              + describe(arguments.keySet()));
    }
    return arguments.get(name);
  }

  private static String describe(Set<String> names) {
    return names.isEmpty() ? "no arguments" : "only " + new TreeSet<>(names);
  }

  @Override
  public String toString() {
    return source;
  }
}
