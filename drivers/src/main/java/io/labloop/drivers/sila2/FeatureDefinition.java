package io.labloop.drivers.sila2;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A SiLA 2 Feature Definition (the FDL XML a server gives through SiLA Service's {@code
 * GetFeatureDefinition}), read into what a client needs to call the feature: its identity, its
 * commands with their parameters and responses, its properties, its data type definitions. Only the
 * structure is read; display names, descriptions and constraints are left (constraints do not
 * change the wire format).
 */
record FeatureDefinition(
    String originator,
    String category,
    String identifier,
    int majorVersion,
    List<Command> commands,
    List<Property> properties,
    List<Element> dataTypes) {

  /** A data type of the FDL: basic, list, structure, a defined type, or constrained (its base). */
  sealed interface DataType permits Basic, ListOf, Structure, Defined {}

  /** {@code String}, {@code Integer}, {@code Real}, {@code Boolean}, {@code Binary}, ... */
  record Basic(String name) implements DataType {}

  record ListOf(DataType element) implements DataType {}

  record Structure(List<Element> elements) implements DataType {}

  /** A {@code DataTypeIdentifier}: a {@code DataType_<Identifier>} message of the feature. */
  record Defined(String identifier) implements DataType {}

  /** A named, typed part: a parameter, a response, a structure element, a defined data type. */
  record Element(String identifier, DataType type) {}

  record Command(
      String identifier,
      boolean observable,
      List<Element> parameters,
      List<Element> responses,
      List<Element> intermediateResponses) {}

  record Property(String identifier, boolean observable, DataType type) {}

  /** {@code originator/category/Identifier/vN}. */
  String fullyQualified() {
    return originator + "/" + category + "/" + identifier + "/v" + majorVersion;
  }

  /** The protobuf package of the feature, as the standard maps it. */
  String protoPackage() {
    return "sila2."
        + originator
        + "."
        + category
        + "."
        + identifier.toLowerCase(Locale.ROOT)
        + ".v"
        + majorVersion;
  }

  String serviceName() {
    return protoPackage() + "." + identifier;
  }

  Optional<Command> command(String identifier) {
    return commands.stream().filter(c -> c.identifier.equals(identifier)).findFirst();
  }

  Optional<Property> property(String identifier) {
    return properties.stream().filter(p -> p.identifier.equals(identifier)).findFirst();
  }

  /**
   * Reads an FDL document.
   *
   * @throws IllegalArgumentException when it is not a Feature Definition this client can use
   */
  static FeatureDefinition parse(String xml) {
    org.w3c.dom.Element root;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root =
          f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("the feature definition is not XML: " + e.getMessage(), e);
    }
    if (!root.getLocalName().equals("Feature"))
      throw new IllegalArgumentException("the feature definition's root is not <Feature>");
    String version = root.getAttribute("FeatureVersion");
    int major;
    try {
      major = Integer.parseInt(version.isEmpty() ? "1" : version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("FeatureVersion '" + version + "' is not N.M");
    }
    List<Command> commands = new ArrayList<>();
    for (org.w3c.dom.Element c : children(root, "Command")) {
      commands.add(
          new Command(
              text(c, "Identifier"),
              "Yes".equals(text(c, "Observable")),
              elements(c, "Parameter"),
              elements(c, "Response"),
              elements(c, "IntermediateResponse")));
    }
    List<Property> properties = new ArrayList<>();
    for (org.w3c.dom.Element p : children(root, "Property")) {
      properties.add(
          new Property(
              text(p, "Identifier"),
              "Yes".equals(text(p, "Observable")),
              dataType(child(p, "DataType"))));
    }
    return new FeatureDefinition(
        root.getAttribute("Originator"),
        root.getAttribute("Category"),
        text(root, "Identifier"),
        major,
        commands,
        properties,
        elements(root, "DataTypeDefinition"));
  }

  private static List<Element> elements(org.w3c.dom.Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (org.w3c.dom.Element e : children(parent, name))
      out.add(new Element(text(e, "Identifier"), dataType(child(e, "DataType"))));
    return out;
  }

  private static DataType dataType(org.w3c.dom.Element dataType) {
    org.w3c.dom.Element kind = firstElement(dataType);
    return switch (kind.getLocalName()) {
      case "Basic" -> new Basic(kind.getTextContent().trim());
      case "List" -> new ListOf(dataType(child(kind, "DataType")));
      case "Structure" -> new Structure(elements(kind, "Element"));
      case "Constrained" -> dataType(child(kind, "DataType"));
      case "DataTypeIdentifier" -> new Defined(kind.getTextContent().trim());
      default ->
          throw new IllegalArgumentException(
              "unknown SiLA data type <" + kind.getLocalName() + ">");
    };
  }

  private static String text(org.w3c.dom.Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }

  private static org.w3c.dom.Element child(org.w3c.dom.Element parent, String name) {
    List<org.w3c.dom.Element> found = children(parent, name);
    if (found.isEmpty())
      throw new IllegalArgumentException(
          "<" + parent.getLocalName() + "> has no <" + name + "> in the feature definition");
    return found.get(0);
  }

  private static List<org.w3c.dom.Element> children(org.w3c.dom.Element parent, String name) {
    List<org.w3c.dom.Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
      if (n instanceof org.w3c.dom.Element e && name.equals(e.getLocalName())) out.add(e);
    return out;
  }

  private static org.w3c.dom.Element firstElement(org.w3c.dom.Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
      if (n instanceof org.w3c.dom.Element e) return e;
    throw new IllegalArgumentException("an empty <" + parent.getLocalName() + ">");
  }
}
