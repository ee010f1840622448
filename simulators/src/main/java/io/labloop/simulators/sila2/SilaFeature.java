package io.labloop.simulators.sila2;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.labloop.simulators.instrument.CommandBinding;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one feature a simulated instrument offers, made from its section of the lab file:
 *
 * <ul>
 *   <li>the feature's identifier is the section's {@code feature} (a bare identifier or a fully
 *       qualified {@code originator/category/Identifier/vN}), by default the instrument's name in
 *       UpperCamelCase followed by {@code Controller}, originator {@code org.labloop}, category
 *       {@code virtuallab};
 *   <li>each command of the section is a SiLA command named by its {@code command} key (by default
 *       the command's name in UpperCamelCase), observable unless {@code observable: false}, with a
 *       parameter per key of {@code parameters} (the instrument input is the {@code {name}} of the
 *       key's template) or, without {@code parameters}, one per input the instrument takes; a
 *       response per entry of {@code responses} (output name to response identifier) or per output;
 *       text inputs and outputs (sample ids, categories) are SiLA Strings, the rest Reals;
 *   <li>each process variable (State, Temperature, Door) is an observable property of its own name;
 *   <li>an unobservable {@code Abort} command (unless the section has one) ends the running
 *       operation, as {@code Abort()} does on the OPC UA instruments.
 * </ul>
 *
 * From this model come both the protobuf descriptors the server decodes and encodes with (named as
 * the SiLA 2 standard maps a Feature Definition to protobuf) and the Feature Definition XML the
 * server gives clients, so the two cannot disagree.
 */
final class SilaFeature {

  record Parameter(String identifier, String input, String type) {}

  record Response(String identifier, String output, String type) {}

  record Command(
      CommandBinding binding,
      String identifier,
      boolean observable,
      List<Parameter> parameters,
      List<Response> responses) {
    List<String> inputs() {
      return parameters.stream().map(Parameter::input).toList();
    }

    List<String> outputs() {
      return responses.stream().map(Response::output).toList();
    }
  }

  record Property(String identifier, String variable, String type) {}

  /** The command every virtual SiLA instrument has: ends the running operation. */
  static final String ABORT = "Abort";

  /** The errors a command of the virtual lab can end with, as defined execution errors. */
  static final List<String> DEFINED_ERRORS = List.of("Busy", "Refused", "UnknownSample");

  private static final Pattern FULLY_QUALIFIED =
      Pattern.compile("([a-z][a-z0-9.]*)/([a-z][a-z0-9.]*)/([A-Z][A-Za-z0-9]*)/v(\\d+)");
  private static final Pattern TEMPLATE_NAME = Pattern.compile("^\\{(\\w+)}$");

  final String originator;
  final String category;
  final String identifier;
  final int majorVersion;
  final List<Command> commands;
  final List<Property> properties;
  final FileDescriptor descriptor;

  private SilaFeature(
      String originator,
      String category,
      String identifier,
      int majorVersion,
      List<Command> commands,
      List<Property> properties,
      SilaProtocol protocol) {
    this.originator = originator;
    this.category = category;
    this.identifier = identifier;
    this.majorVersion = majorVersion;
    this.commands = List.copyOf(commands);
    this.properties = List.copyOf(properties);
    this.descriptor = buildDescriptor(protocol);
  }

  static SilaFeature of(
      SimulatedInstrument instrument, Map<String, Object> section, SilaProtocol protocol) {
    String originator = "org.labloop";
    String category = "virtuallab";
    String identifier = upperCamel(instrument.name()) + "Controller";
    int major = 1;
    Object feature = section.get("feature");
    if (feature != null) {
      Matcher m = FULLY_QUALIFIED.matcher(String.valueOf(feature));
      if (m.matches()) {
        originator = m.group(1);
        category = m.group(2);
        identifier = m.group(3);
        major = Integer.parseInt(m.group(4));
      } else {
        identifier = String.valueOf(feature);
      }
    }
    List<Command> commands = new ArrayList<>();
    for (CommandBinding b : CommandBinding.all(section)) {
      if (!b.definition().containsKey("command") && b.definition().containsKey("until")) {
        continue; // a wait on a property only: nothing to serve
      }
      String id =
          b.definition().get("command") == null
              ? upperCamel(b.name())
              : String.valueOf(b.definition().get("command"));
      if (id.equals(ABORT)) {
        commands.add(new Command(b, ABORT, false, List.of(), List.of()));
        continue;
      }
      boolean observable = !"false".equals(String.valueOf(b.definition().get("observable")));
      List<Parameter> params = new ArrayList<>();
      if (b.definition().get("parameters") instanceof Map<?, ?> ps) {
        for (Map.Entry<?, ?> e : ps.entrySet()) {
          String pid = String.valueOf(e.getKey());
          Matcher t = TEMPLATE_NAME.matcher(String.valueOf(e.getValue()).trim());
          String input = t.matches() ? t.group(1) : lowerCamel(pid);
          params.add(new Parameter(pid, input, instrument.isTextInput(input) ? "String" : "Real"));
        }
      } else {
        for (String input : instrument.inputsOf(b)) {
          params.add(
              new Parameter(
                  upperCamel(input), input, instrument.isTextInput(input) ? "String" : "Real"));
        }
      }
      List<Response> responses = new ArrayList<>();
      if (b.definition().get("responses") instanceof Map<?, ?> rs) {
        for (Map.Entry<?, ?> e : rs.entrySet()) {
          String output = String.valueOf(e.getKey());
          responses.add(
              new Response(
                  String.valueOf(e.getValue()),
                  output,
                  instrument.isTextOutput(output) ? "String" : "Real"));
        }
      } else {
        for (String output : instrument.outputsOf(b)) {
          responses.add(
              new Response(
                  upperCamel(output), output, instrument.isTextOutput(output) ? "String" : "Real"));
        }
      }
      commands.add(new Command(b, id, observable, params, responses));
    }
    if (commands.stream().noneMatch(c -> c.identifier().equals(ABORT))) {
      // as the OPC UA instruments have Abort(): ends the running operation (and any hang)
      commands.add(
          new Command(
              new CommandBinding("abort", List.of(), List.of(), Map.of()),
              ABORT,
              false,
              List.of(),
              List.of()));
    }
    List<Property> properties = new ArrayList<>();
    for (String v : instrument.variableNames()) {
      Object value = instrument.variable(v);
      String type =
          value instanceof Number ? "Real" : value instanceof Boolean ? "Boolean" : "String";
      properties.add(new Property(upperCamel(v), v, type));
    }
    return new SilaFeature(originator, category, identifier, major, commands, properties, protocol);
  }

  /** {@code org.labloop/virtuallab/RobotController/v1}. */
  String fullyQualified() {
    return originator + "/" + category + "/" + identifier + "/v" + majorVersion;
  }

  /** {@code sila2.org.labloop.virtuallab.robotcontroller.v1.RobotController}. */
  String serviceName() {
    return packageName() + "." + identifier;
  }

  private String packageName() {
    return "sila2."
        + originator
        + "."
        + category
        + "."
        + identifier.toLowerCase(Locale.ROOT)
        + ".v"
        + majorVersion;
  }

  Descriptor message(String name) {
    Descriptor d = descriptor.findMessageTypeByName(name);
    if (d == null) throw new IllegalStateException("no message " + name);
    return d;
  }

  private FileDescriptor buildDescriptor(SilaProtocol protocol) {
    FileDescriptorProto.Builder file =
        FileDescriptorProto.newBuilder()
            .setName(identifier + ".proto")
            .setSyntax("proto3")
            .setPackage(packageName())
            .addDependency("SiLAFramework.proto");
    for (Command c : commands) {
      DescriptorProto.Builder params =
          DescriptorProto.newBuilder().setName(c.identifier + "_Parameters");
      for (int i = 0; i < c.parameters.size(); i++)
        params.addField(
            field(c.parameters.get(i).identifier, i + 1, c.parameters.get(i).type, false));
      DescriptorProto.Builder responses =
          DescriptorProto.newBuilder().setName(c.identifier + "_Responses");
      for (int i = 0; i < c.responses.size(); i++)
        responses.addField(
            field(c.responses.get(i).identifier, i + 1, c.responses.get(i).type, false));
      file.addMessageType(params).addMessageType(responses);
    }
    for (Property p : properties) {
      file.addMessageType(
          DescriptorProto.newBuilder().setName("Subscribe_" + p.identifier + "_Parameters"));
      file.addMessageType(
          DescriptorProto.newBuilder()
              .setName("Subscribe_" + p.identifier + "_Responses")
              .addField(field(p.identifier, 1, p.type, false)));
    }
    try {
      return FileDescriptor.buildFrom(file.build(), new FileDescriptor[] {protocol.framework});
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(
          "the SiLA feature of the lab file's section does not build: " + e.getMessage(), e);
    }
  }

  private static FieldDescriptorProto field(String name, int number, String type, boolean list) {
    return FieldDescriptorProto.newBuilder()
        .setName(name)
        .setNumber(number)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
        .setTypeName("." + SilaProtocol.FRAMEWORK_PACKAGE + "." + type)
        .setLabel(
            list
                ? FieldDescriptorProto.Label.LABEL_REPEATED
                : FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .build();
  }

  /** The Feature Definition (FDL XML, SiLA 2 part A) of this feature. */
  String featureDefinition() {
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.append("<Feature SiLA2Version=\"1.0\" FeatureVersion=\"")
        .append(majorVersion)
        .append(".0\" Originator=\"")
        .append(originator)
        .append("\" Category=\"")
        .append(category)
        .append("\" xmlns=\"http://www.sila-standard.org\">\n");
    head(x, "  ", identifier, "A LabLoop virtual-lab instrument.");
    for (Command c : commands) {
      x.append("  <Command>\n");
      head(x, "    ", c.identifier, "Runs '" + c.binding.name() + "' on the instrument.");
      x.append("    <Observable>").append(c.observable ? "Yes" : "No").append("</Observable>\n");
      for (Parameter p : c.parameters) {
        x.append("    <Parameter>\n");
        head(x, "      ", p.identifier, "The instrument's input '" + p.input + "'.");
        x.append("      <DataType><Basic>").append(p.type).append("</Basic></DataType>\n");
        x.append("    </Parameter>\n");
      }
      for (Response r : c.responses) {
        x.append("    <Response>\n");
        head(x, "      ", r.identifier, "The instrument's output '" + r.output + "'.");
        x.append("      <DataType><Basic>").append(r.type).append("</Basic></DataType>\n");
        x.append("    </Response>\n");
      }
      x.append("    <DefinedExecutionErrors>\n");
      for (String e : DEFINED_ERRORS)
        x.append("      <Identifier>").append(e).append("</Identifier>\n");
      x.append("    </DefinedExecutionErrors>\n");
      x.append("  </Command>\n");
    }
    for (Property p : properties) {
      x.append("  <Property>\n");
      head(x, "    ", p.identifier, "The instrument's process variable '" + p.variable + "'.");
      x.append("    <Observable>Yes</Observable>\n");
      x.append("    <DataType><Basic>").append(p.type).append("</Basic></DataType>\n");
      x.append("  </Property>\n");
    }
    for (String e : DEFINED_ERRORS) {
      x.append("  <DefinedExecutionError>\n");
      head(x, "    ", e, "The instrument said: " + e + ".");
      x.append("  </DefinedExecutionError>\n");
    }
    x.append("</Feature>\n");
    return x.toString();
  }

  private static void head(StringBuilder x, String indent, String id, String description) {
    x.append(indent).append("<Identifier>").append(id).append("</Identifier>\n");
    x.append(indent).append("<DisplayName>").append(displayName(id)).append("</DisplayName>\n");
    x.append(indent).append("<Description>").append(escape(description)).append("</Description>\n");
  }

  private static String displayName(String id) {
    return id.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** {@code sample-id}, {@code sampleId} to {@code SampleId}. */
  static String upperCamel(String name) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char c : name.toCharArray()) {
      if (!Character.isLetterOrDigit(c)) {
        up = true;
        continue;
      }
      b.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return b.toString();
  }

  private static String lowerCamel(String id) {
    return id.isEmpty() ? id : Character.toLowerCase(id.charAt(0)) + id.substring(1);
  }
}
