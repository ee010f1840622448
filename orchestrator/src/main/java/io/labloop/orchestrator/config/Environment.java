package io.labloop.orchestrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${NAME}} and {@code ${NAME:-default}} in a string from the environment, so that
 * passwords and host names stay out of the files. {@code $${NAME}} is written as a literal {@code
 * ${NAME}}. The environment is passed in (not read from {@link System#getenv()} here) so that tests
 * and the daemon can supply their own.
 */
final class Environment {

  private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{([^}:]*)(?::-([^}]*))?}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> variables;

  Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /**
   * The text with every reference filled, and the problems found (missing variables, bad names).
   */
  record Filled(String text, List<String> problems) {}

  Filled fill(String text) {
    if (text.indexOf("${") < 0) return new Filled(text, List.of());
    List<String> problems = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String whole = m.group();
      String replacement;
      if (whole.startsWith("$$")) {
        replacement = whole.substring(1);
      } else {
        String name = m.group(1);
        String fallback = m.group(2);
        String value = variables.get(name);
        if (!NAME.matcher(name).matches()) {
          problems.add(
              "'${"
                  + name
                  + "}' is not a valid variable name (expected letters, digits and _, e.g. ${LAB_HOST})");
          replacement = whole;
        } else if (value != null) {
          replacement = value;
        } else if (fallback != null) {
          replacement = fallback;
        } else {
          problems.add(
              "environment variable "
                  + name
                  + " is not set (expected it to be set, or a default: ${"
                  + name
                  + ":-value})");
          replacement = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Filled(out.toString(), problems);
  }
}
