package io.labloop.orchestrator.config;

import io.labloop.orchestrator.config.YamlNode.Pos;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns a file's bytes into a {@link YamlNode} tree, or into problems. In order: refuse files over
 * {@link #MAX_BYTES} (a lab file is a few kB; a huge one is a mistake, and parsing it would hold
 * the daemon) and anything that is not a regular file (a FIFO would block the reader), refuse
 * binary content (a NUL byte or bytes that are not UTF-8, located by line and column), parse with
 * SnakeYAML Engine's node API (YAML 1.2 core schema, so {@code yes} stays text and {@code 1e-3} is
 * a number) keeping every node's position, refuse lists and maps nested deeper than {@link
 * #MAX_DEPTH} (counted on the parser's events before the recursive composer runs), reject duplicate
 * keys and extra documents, and fill {@code ${NAME}} in every scalar. A plain scalar that was
 * filled from the environment is typed again after filling, so that {@code port: ${PORT:-4840}} is
 * a number.
 */
final class YamlText {

  /** Largest file accepted: far above any real lab or campaign file. */
  static final long MAX_BYTES = 1L << 20;

  private static final int MAX_ALIASES = 50;

  /**
   * Deepest nesting of lists and maps accepted. Real files nest a handful of levels; SnakeYAML's
   * composer and our own tree walkers recurse once per level, so this bound is what keeps a
   * 10,000-level file from overflowing the stack.
   */
  static final int MAX_DEPTH = 64;

  private final Environment environment;

  YamlText(Environment environment) {
    this.environment = environment;
  }

  /** The text of a file, or a problem saying why it cannot be read as text. */
  static Optional<String> readFile(Path file, Report report) {
    return readBounded(file, report, "a YAML file").flatMap(bytes -> decode(bytes, report));
  }

  /**
   * The bytes of a regular file of at most {@link #MAX_BYTES}, or a problem. Only a regular file is
   * opened: opening a FIFO blocks until someone writes to it, and a device such as {@code
   * /dev/zero} reports size 0 and never ends, so both are refused from their attributes before any
   * read. The size limit is then applied to what is actually read as well (a file that grows while
   * it is read is cut off at the limit and refused).
   *
   * @param expected what the file should be, for the message ("a YAML file", "a CSV file")
   */
  static Optional<byte[]> readBounded(Path file, Report report, String expected) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        report.error(Pos.START, "is a directory (expected " + expected + ")");
        return Optional.empty();
      }
      if (!attributes.isRegularFile()) {
        report.error(
            Pos.START,
            "not a regular file (a pipe, a device or a socket; expected " + expected + ")");
        return Optional.empty();
      }
      if (attributes.size() > MAX_BYTES) {
        report.error(
            Pos.START,
            "file is too large: "
                + megabytes(attributes.size())
                + " (expected at most "
                + megabytes(MAX_BYTES)
                + ")");
        return Optional.empty();
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        report.error(
            Pos.START,
            "file is too large: it grew past "
                + megabytes(MAX_BYTES)
                + " while being read (expected at most "
                + megabytes(MAX_BYTES)
                + ")");
        return Optional.empty();
      }
      return Optional.of(bytes);
    } catch (NoSuchFileException e) {
      report.error(Pos.START, "file not found (expected an existing file)");
    } catch (IOException e) {
      report.error(Pos.START, "cannot read the file: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Checks text that did not come from a file (a POSTed YAML) the way {@link #readFile} checks
   * bytes.
   */
  static Optional<String> checkText(String text, Report report) {
    return decode(text.getBytes(StandardCharsets.UTF_8), report);
  }

  private static Optional<String> decode(byte[] bytes, Report report) {
    if (bytes.length > MAX_BYTES) {
      report.error(
          Pos.START,
          "text is too large: "
              + megabytes(bytes.length)
              + " (expected at most "
              + megabytes(MAX_BYTES)
              + ")");
      return Optional.empty();
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        Pos at = positionOfByte(bytes, i);
        report.error(at, "binary content: a NUL byte (expected a UTF-8 text file)");
        return Optional.empty();
      }
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (CharacterCodingException e) {
      int bad = firstInvalidUtf8(bytes);
      report.error(
          positionOfByte(bytes, bad),
          String.format(
              Locale.ROOT,
              "binary content: byte 0x%02X is not UTF-8 (expected a UTF-8 text file)",
              bytes[bad] & 0xFF));
      return Optional.empty();
    }
  }

  /** Parses one YAML document; empty (with problems reported) if it is not usable. */
  Optional<YamlNode> parse(String text, Report report) {
    if (text.isBlank()
        || text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
      report.error(Pos.START, "the file is empty (expected a lab: or campaign: document)");
      return Optional.empty();
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(report.file())
            .setSchema(new CoreSchema())
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowRecursiveKeys(false)
            .build();
    Node root;
    try {
      Optional<Pos> tooDeep = firstTooDeep(settings, text);
      if (tooDeep.isPresent()) {
        report.error(
            tooDeep.get(),
            "lists and maps nested more than "
                + MAX_DEPTH
                + " levels deep (expected at most "
                + MAX_DEPTH
                + " levels)");
        return Optional.empty();
      }
      Iterator<Node> documents = new Compose(settings).composeAllFromString(text).iterator();
      if (!documents.hasNext()) {
        report.error(Pos.START, "the file is empty (expected a lab: or campaign: document)");
        return Optional.empty();
      }
      root = documents.next();
      if (documents.hasNext()) {
        Node extra = documents.next();
        report.error(
            pos(extra),
            "a second YAML document (expected one document per file; remove the '---')");
        return Optional.empty();
      }
    } catch (MarkedYamlEngineException e) {
      Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
      Pos at = mark == null ? Pos.START : new Pos(mark.getLine() + 1, mark.getColumn() + 1);
      report.error(at, explain(e));
      return Optional.empty();
    } catch (YamlEngineException e) {
      report.error(Pos.START, "not valid YAML: " + oneLine(e.getMessage()));
      return Optional.empty();
    }
    // Problems found while converting (duplicate keys, missing variables) are reported, and the
    // tree is still returned so that the readers can report everything else as well.
    return Optional.of(convert(root, report, new CoreSchema().getScalarResolver()));
  }

  /**
   * Where the nesting first passes {@link #MAX_DEPTH}, found from the parser's events alone:
   * SnakeYAML's parser keeps its state on explicit stacks, while its composer (which builds the
   * node tree) recurses once per level, so the events can be counted at any depth.
   */
  private static Optional<Pos> firstTooDeep(LoadSettings settings, String text) {
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      Event.ID id = e.getEventId();
      if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
        if (++depth > MAX_DEPTH) {
          return Optional.of(
              e.getStartMark()
                  .map(m -> new Pos(m.getLine() + 1, m.getColumn() + 1))
                  .orElse(Pos.START));
        }
      } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
        depth--;
      }
    }
    return Optional.empty();
  }

  private YamlNode convert(Node node, Report report, ScalarResolver resolver) {
    if (node instanceof MappingNode m) {
      Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        Node keyNode = t.getKeyNode();
        Pos keyPos = pos(keyNode);
        if (!(keyNode instanceof ScalarNode k)) {
          report.error(keyPos, "a map or list used as a key (expected a name)");
          continue;
        }
        String key = k.getValue();
        YamlNode value = convert(t.getValueNode(), report, resolver);
        YamlNode.Entry previous = entries.get(key);
        if (previous != null) {
          report.error(
              keyPos,
              "duplicate key '"
                  + key
                  + "' (expected each key once; first at line "
                  + previous.keyPos().line()
                  + ")");
          continue;
        }
        entries.put(key, new YamlNode.Entry(key, keyPos, value));
      }
      return new YamlNode.MapNode(entries, pos(node));
    }
    if (node instanceof SequenceNode s) {
      List<YamlNode> items = new ArrayList<>();
      for (Node item : s.getValue()) items.add(convert(item, report, resolver));
      return new YamlNode.ListNode(items, pos(node));
    }
    ScalarNode s = (ScalarNode) node;
    Pos at = pos(node);
    Tag tag = s.getTag();
    String text = s.getValue();
    // SnakeYAML tags a plain scalar that is exactly ${NAME} as !ENV_VARIABLE: fill it like any
    // string.
    if ((Tag.STR.equals(tag) || Tag.ENV_TAG.equals(tag)) && text.contains("${")) {
      Environment.Filled filled = environment.fill(text);
      filled.problems().forEach(p -> report.error(at, p));
      text = filled.text();
      if (s.isPlain()) tag = resolver.resolve(text, true);
    }
    return new YamlNode.Scalar(typed(tag, text), text, at);
  }

  /**
   * The scalar as Java: the YAML 1.2 core schema's int, float, bool and null; anything else text.
   */
  private static Object typed(Tag tag, String text) {
    try {
      if (Tag.NULL.equals(tag)) return null;
      if (Tag.BOOL.equals(tag)) return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
      if (Tag.INT.equals(tag)) {
        String t = text.replace("_", "");
        if (t.startsWith("0x")) return Long.parseLong(t.substring(2), 16);
        if (t.startsWith("0o")) return Long.parseLong(t.substring(2), 8);
        return Long.parseLong(t);
      }
      if (Tag.FLOAT.equals(tag)) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".inf"))
          return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (t.equals(".nan")) return Double.NaN;
        return Double.parseDouble(t);
      }
    } catch (NumberFormatException e) {
      // a number too large for a long: keep it as written and let the reader complain about it
    }
    return text;
  }

  /** A parser message rewritten for a researcher who has never read the YAML spec. */
  private static String explain(MarkedYamlEngineException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    if (problem.contains("\t") || problem.contains("(TAB)")) {
      return "a tab character (expected spaces: YAML does not allow tabs for indentation)";
    }
    if (problem.startsWith("mapping values are not allowed")) {
      return "unexpected ':' (expected 'key: value' with the key lined up with its neighbours; quote a text that contains ': ')";
    }
    if (problem.startsWith("expected <block end>")) {
      return "bad indentation: this line is not lined up with the keys above it (expected the same indentation as its siblings)";
    }
    if (problem.startsWith("could not find expected ':'")) {
      return "a line without 'key: value' (expected a ':' after the key, or a continuation indented further)";
    }
    if (problem.startsWith("found undefined alias")
        || problem.startsWith("found undefined anchor")) {
      return "unknown alias (expected an anchor '&name' defined above it)";
    }
    if (problem.contains("found unexpected end of stream")) {
      return "the file ends inside a quoted text or a [ ] / { } (expected the closing quote or bracket"
          + (context.isEmpty() ? ")" : "; " + context + ")");
    }
    String what = problem.isEmpty() ? oneLine(e.getMessage()) : problem;
    return "not valid YAML: " + what + (context.isEmpty() ? "" : " (" + context + ")");
  }

  private static Pos pos(Node node) {
    return node.getStartMark()
        .map(m -> new Pos(m.getLine() + 1, m.getColumn() + 1))
        .orElse(Pos.START);
  }

  private static Pos positionOfByte(byte[] bytes, int index) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < index; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xC0) != 0x80) {
        column++; // count characters, not the continuation bytes of a UTF-8 sequence
      }
    }
    return new Pos(line, column);
  }

  private static int firstInvalidUtf8(byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    var in = ByteBuffer.wrap(bytes);
    var out = java.nio.CharBuffer.allocate(bytes.length + 1);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : 0;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
