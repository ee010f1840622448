package io.labloop.drivers.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression a reply must match, whose named groups are the outputs: {@code ^OK
 * peak=(?<peak>[0-9.]+)$} on {@code OK peak=521.5} gives {@code peak = 521.5} (a Double, see {@link
 * Values#fromText}). The whole reply must match, so a truncated or garbled line is rejected instead
 * of yielding half the outputs.
 */
public final class ReplyPattern {

  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  private final Pattern pattern;
  private final List<String> groups;

  private ReplyPattern(Pattern pattern, List<String> groups) {
    this.pattern = pattern;
    this.groups = List.copyOf(groups);
  }

  /**
   * Compiles a pattern; {@code MULTILINE|DOTALL} so an expression can span the lines of a
   * multi-line reply.
   *
   * @throws IllegalArgumentException with the regex engine's own description of the error
   */
  public static ReplyPattern compile(String regex) {
    Pattern p;
    try {
      p = Pattern.compile(regex, Pattern.MULTILINE | Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "not a valid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + " of '"
              + regex
              + "'");
    }
    List<String> names = new ArrayList<>();
    Matcher m = GROUP_NAME.matcher(regex);
    while (m.find()) names.add(m.group(1));
    return new ReplyPattern(p, names);
  }

  /** The named groups, in the order they appear. */
  public List<String> groups() {
    return groups;
  }

  /** The typed named groups if the whole reply matches; empty if it does not. */
  public Optional<Map<String, Object>> match(String reply) {
    Matcher m = pattern.matcher(reply);
    if (!m.matches()) return Optional.empty();
    Map<String, Object> out = new LinkedHashMap<>();
    for (String g : groups) {
      String v = m.group(g);
      if (v != null) out.put(g, Values.fromText(v));
    }
    return Optional.of(out);
  }

  @Override
  public String toString() {
    return pattern.pattern();
  }
}
