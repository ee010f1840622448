package io.labloop.drivers.sila2;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.List;

/**
 * Builds the protobuf descriptors of a feature from its Feature Definition, following the SiLA 2
 * standard's mapping (part B), so that any server's commands can be called without compiled stubs:
 *
 * <ul>
 *   <li>package {@code sila2.<originator>.<category>.<identifier lower case>.v<major>}, service
 *       named as the feature;
 *   <li>per command {@code <C>_Parameters}, {@code <C>_Responses} (and {@code
 *       <C>_IntermediateResponses}), one field per parameter or response, numbered in order;
 *   <li>per property {@code Get_<P>_Parameters}/{@code _Responses} or {@code
 *       Subscribe_<P>_Parameters}/{@code _Responses}, the response with one field named as the
 *       property;
 *   <li>per data type definition {@code DataType_<T>} with one field {@code <T>};
 *   <li>basic types are the framework's messages ({@code sila2.org.silastandard.Real}, ...), a list
 *       is a repeated field, a structure a nested message {@code <Identifier>_Struct}, a
 *       constrained type its base type.
 * </ul>
 */
final class FeatureDescriptors {

  private FeatureDescriptors() {}

  static FileDescriptor build(FeatureDefinition feature, FileDescriptor framework) {
    String pkg = feature.protoPackage();
    FileDescriptorProto.Builder file =
        FileDescriptorProto.newBuilder()
            .setName(feature.fullyQualified() + ".proto")
            .setSyntax("proto3")
            .setPackage(pkg)
            .addDependency(framework.getName());
    for (FeatureDefinition.Element t : feature.dataTypes())
      file.addMessageType(message("DataType_" + t.identifier(), List.of(t), pkg));
    for (FeatureDefinition.Command c : feature.commands()) {
      file.addMessageType(message(c.identifier() + "_Parameters", c.parameters(), pkg));
      file.addMessageType(message(c.identifier() + "_Responses", c.responses(), pkg));
      if (!c.intermediateResponses().isEmpty())
        file.addMessageType(
            message(c.identifier() + "_IntermediateResponses", c.intermediateResponses(), pkg));
    }
    for (FeatureDefinition.Property p : feature.properties()) {
      String call = (p.observable() ? "Subscribe_" : "Get_") + p.identifier();
      file.addMessageType(DescriptorProto.newBuilder().setName(call + "_Parameters"));
      file.addMessageType(
          message(
              call + "_Responses",
              List.of(new FeatureDefinition.Element(p.identifier(), p.type())),
              pkg));
    }
    try {
      return FileDescriptor.buildFrom(file.build(), new FileDescriptor[] {framework});
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException(
          "feature " + feature.fullyQualified() + " does not map to protobuf: " + e.getMessage(),
          e);
    }
  }

  static Descriptor message(FileDescriptor file, String name) {
    Descriptor d = file.findMessageTypeByName(name);
    if (d == null) throw new IllegalArgumentException("no message " + name + " in the feature");
    return d;
  }

  private static DescriptorProto.Builder message(
      String name, List<FeatureDefinition.Element> elements, String pkg) {
    DescriptorProto.Builder m = DescriptorProto.newBuilder().setName(name);
    for (int i = 0; i < elements.size(); i++) {
      FeatureDefinition.Element e = elements.get(i);
      m.addField(field(m, e.identifier(), i + 1, e.type(), pkg));
    }
    return m;
  }

  private static FieldDescriptorProto field(
      DescriptorProto.Builder container,
      String name,
      int number,
      FeatureDefinition.DataType type,
      String pkg) {
    FieldDescriptorProto.Builder f =
        FieldDescriptorProto.newBuilder()
            .setName(name)
            .setNumber(number)
            .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    FeatureDefinition.DataType t = type;
    if (t instanceof FeatureDefinition.ListOf l) {
      f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
      t = l.element();
    }
    if (t instanceof FeatureDefinition.Basic b) {
      f.setTypeName(".sila2.org.silastandard." + b.name());
    } else if (t instanceof FeatureDefinition.Defined d) {
      f.setTypeName("." + pkg + ".DataType_" + d.identifier());
    } else if (t instanceof FeatureDefinition.Structure s) {
      String nested = name + "_Struct";
      container.addNestedType(message(nested, s.elements(), pkg));
      f.setTypeName(nested);
    } else {
      throw new IllegalArgumentException(name + " is a list of lists, which SiLA 2 forbids");
    }
    return f.build();
  }
}
